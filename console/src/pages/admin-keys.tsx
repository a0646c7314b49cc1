import { useState } from 'preact/hooks';
import { api, type AdminKey } from '../api.ts';
import { ConfirmButton, formatTime, Outcome, Page, Pager, SecretOnce, useAction, usePagedList, Table } from '../ui.tsx';

const DAY = 24 * 60 * 60;

export function AdminKeysPage() {
  const list = usePagedList<AdminKey>('/organization/admin_api_keys', {});
  const [name, setName] = useState('');
  const [days, setDays] = useState('');
  const action = useAction();
  const [created, setCreated] = useState<AdminKey | null>(null);

  const create = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      const lifetime = days.trim() === '' ? undefined : Math.round(Number(days) * DAY);
      const key = await api<AdminKey>('POST', '/organization/admin_api_keys', { body: { name: name.trim(), expires_in_seconds: lifetime } });
      setCreated(key);
      action.setDone(`The key ${key.name} was created.`);
      setName('');
      setDays('');
      list.reload();
    });
  };
  const remove = (key: AdminKey) =>
    action.run(async () => {
      await api('DELETE', `/organization/admin_api_keys/${key.id}`);
      action.setDone(`The key ${key.name} was deleted.`);
      list.reload();
    });

  return (
    <Page title="Admin keys">
      <p class="hint">A new key acts for you, with your role. Its value is shown once, when it is created.</p>
      <form class="row" onSubmit={create} aria-label="Create an admin key">
        <label for="admin-key-name">Key name</label>
        <input id="admin-key-name" required value={name} onInput={(event) => setName(event.currentTarget.value)} />
        <label for="admin-key-days">Expires after (days, empty for never)</label>
        <input id="admin-key-days" type="number" min="1" step="1" value={days} onInput={(event) => setDays(event.currentTarget.value)} />
        <button type="submit" disabled={action.busy}>
          Create key
        </button>
      </form>
      <Outcome action={action} alsoError={list.error} />
      {created?.value && <SecretOnce label={`The new admin key ${created.name ?? ''}`} value={created.value} onDone={() => setCreated(null)} />}
      <Table caption="Admin keys" busy={list.loading} columns={['Name', 'Key', { label: 'Owner', secondary: true }, { label: 'Last used', secondary: true }, { label: 'Expires', secondary: true }]} actions>
        {list.items.map((key) => (
          <tr key={key.id}>
            <td>{key.name ?? '—'}</td>
            <td>
              <code>{key.redacted_value}</code>
            </td>
            <td class="secondary">{key.owner.name ?? key.owner.id}</td>
            <td class="secondary">{formatTime(key.last_used_at)}</td>
            <td class="secondary">{key.expires_at ? formatTime(key.expires_at) : 'never'}</td>
            <td>
              <ConfirmButton
                label="Delete"
                name={`Delete key ${key.name ?? key.redacted_value}`}
                danger
                question={`Delete the key ${key.name ?? key.redacted_value}? Anything using it stops working at once.`}
                confirmLabel="Delete key"
                disabled={action.busy}
                onConfirm={() => void remove(key)}
              />
            </td>
          </tr>
        ))}
      </Table>
      <Pager list={list} label="Admin keys" />
    </Page>
  );
}
