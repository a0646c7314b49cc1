import { useEffect, useState } from 'preact/hooks';
import { api, type ListPage, type Member } from '../api.ts';
import { ConfirmButton, formatTime, Notice, Outcome, Page, Pager, useAction, usePagedList, Table } from '../ui.tsx';

const LAST_OWNER_REASON = 'last-owner-reason';

/**
 * The one owner, when there is exactly one: their role and removal are refused by the server, so
 * the page disables them up front. Asks for at most two owners (roster's `roles[]` list filter).
 */
function useLastOwner(version: number): string | null {
  const [lastOwner, setLastOwner] = useState<string | null>(null);
  useEffect(() => {
    api<ListPage<Member>>('GET', '/organization/users', { query: { roles: ['owner'], limit: 2 } }).then(
      (owners) => setLastOwner(owners.data.length === 1 && !owners.has_more ? owners.data[0]!.id : null),
      () => setLastOwner(null),
    );
  }, [version]);
  return lastOwner;
}

export function MembersPage() {
  const [search, setSearch] = useState('');
  const [email, setEmail] = useState('');
  const list = usePagedList<Member>('/organization/users', { emails: email ? [email] : undefined });
  const [changes, setChanges] = useState(0);
  const lastOwner = useLastOwner(changes);
  const action = useAction();

  const afterChange = (message: string) => {
    action.setDone(message);
    setChanges((n) => n + 1);
    list.reload();
  };

  const changeRole = async (member: Member, role: string) => {
    const changed = await action.run(async () => {
      await api('POST', `/organization/users/${member.id}`, { body: { role } });
      afterChange(`${member.email} is now ${role === 'owner' ? 'an owner' : 'a reader'}.`);
    });
    if (!changed) list.reload(); // puts the select back on the role the server kept
  };

  const remove = (member: Member) =>
    action.run(async () => {
      await api('DELETE', `/organization/users/${member.id}`);
      afterChange(`${member.email} was removed from the organization.`);
    });

  return (
    <Page title="Members">
      <form
        class="row"
        role="search"
        onSubmit={(event) => {
          event.preventDefault();
          setEmail(search.trim());
        }}
      >
        <label for="member-search">Find by e-mail (exact address)</label>
        <input id="member-search" type="search" value={search} onInput={(event) => setSearch(event.currentTarget.value)} />
        <button type="submit">Search</button>
        {email && (
          <button
            type="button"
            onClick={() => {
              setSearch('');
              setEmail('');
            }}
          >
            Show everyone
          </button>
        )}
      </form>
      <Outcome action={action} alsoError={list.error} />
      {lastOwner && (
        <p id={LAST_OWNER_REASON} class="hint">
          The organization has one owner: their role cannot be changed and they cannot be removed until another member is made an
          owner.
        </p>
      )}
      <Table caption="Members of the organization" busy={list.loading} columns={['E-mail', { label: 'Name', secondary: true }, 'Role', { label: 'Added', secondary: true }]} actions>
        {list.items.map((member) => {
          const isLastOwner = member.id === lastOwner;
          return (
            <tr key={member.id}>
              <td>{member.email}</td>
              <td class="secondary">{member.name ?? '—'}</td>
              <td>
                <select
                  aria-label={`Role of ${member.email}`}
                  value={member.role ?? ''}
                  disabled={isLastOwner || action.busy}
                  aria-describedby={isLastOwner ? LAST_OWNER_REASON : undefined}
                  onChange={(event) => void changeRole(member, event.currentTarget.value)}
                >
                  <option value="owner">owner</option>
                  <option value="reader">reader</option>
                </select>
              </td>
              <td class="secondary">{formatTime(member.added_at)}</td>
              <td>
                <ConfirmButton
                  label="Remove"
                  name={`Remove ${member.email}`}
                  danger
                  question={`Remove ${member.email} from the organization? Their admin keys stop working.`}
                  confirmLabel="Remove member"
                  disabled={isLastOwner || action.busy}
                  describedBy={isLastOwner ? LAST_OWNER_REASON : undefined}
                  onConfirm={() => void remove(member)}
                />
              </td>
            </tr>
          );
        })}
      </Table>
      {list.empty && <Notice>{email ? `No member has the e-mail ${email}.` : 'No members.'}</Notice>}
      <Pager list={list} label="Members" />
    </Page>
  );
}
