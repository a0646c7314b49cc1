import { useState } from 'preact/hooks';
import { api, type Role } from '../api.ts';
// The same catalogue the server checks custom roles against, bundled at build time.
import { PERMISSION_CATALOGUE, PERMISSIONS } from '../../../src/api/roles/permissions.ts';
import { ConfirmButton, Outcome, Page, Pager, useAction, usePagedList, Table } from '../ui.tsx';

interface Draft {
  /** The custom role being edited, or null for a new one. */
  id: string | null;
  name: string;
  description: string;
  permissions: string[];
}

const EMPTY: Draft = { id: null, name: '', description: '', permissions: [] };

export function RolesPage() {
  const list = usePagedList<Role>('/organization/roles', {}, 50);
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const action = useAction();

  const toggle = (permission: string, on: boolean) =>
    setDraft({ ...draft, permissions: on ? [...draft.permissions, permission] : draft.permissions.filter((p) => p !== permission) });

  const save = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      const body = { role_name: draft.name.trim(), description: draft.description.trim() || null, permissions: draft.permissions };
      const saved = await api<Role>('POST', draft.id ? `/organization/roles/${draft.id}` : '/organization/roles', { body });
      action.setDone(`The role ${saved.name} was ${draft.id ? 'updated' : 'created'}.`);
      setDraft(EMPTY);
      list.reload();
    });
  };
  const remove = (role: Role) =>
    action.run(async () => {
      await api('DELETE', `/organization/roles/${role.id}`);
      action.setDone(`The role ${role.name} was deleted.`);
      list.reload();
    });

  return (
    <Page title="Roles">
      <form class="stack" onSubmit={save} aria-labelledby="role-form-title">
        <h2 id="role-form-title">{draft.id ? `Edit ${draft.name}` : 'New custom role'}</h2>
        <label for="role-name">Role name</label>
        <input id="role-name" required value={draft.name} onInput={(event) => setDraft({ ...draft, name: event.currentTarget.value })} />
        <label for="role-description">Description (optional)</label>
        <input
          id="role-description"
          value={draft.description}
          onInput={(event) => setDraft({ ...draft, description: event.currentTarget.value })}
        />
        <fieldset>
          <legend>Permissions</legend>
          <div class="permissions">
            {PERMISSIONS.map((permission) => (
              <div key={permission}>
                <input
                  type="checkbox"
                  id={`permission-${permission}`}
                  checked={draft.permissions.includes(permission)}
                  onChange={(event) => toggle(permission, event.currentTarget.checked)}
                />{' '}
                <label for={`permission-${permission}`} title={PERMISSION_CATALOGUE[permission]}>
                  {permission}
                </label>
              </div>
            ))}
          </div>
        </fieldset>
        <div class="row">
          <button type="submit" disabled={action.busy}>
            {draft.id ? 'Save role' : 'Create role'}
          </button>
          {draft.id && (
            <button type="button" onClick={() => setDraft(EMPTY)}>
              Cancel editing
            </button>
          )}
        </div>
      </form>
      <Outcome action={action} alsoError={list.error} />
      <h2>Catalogue</h2>
      <Table caption="Roles of the organization" busy={list.loading} columns={['Role', 'Kind', { label: 'Permissions', secondary: true }]} actions>
        {list.items.map((role) => (
          <tr key={role.id}>
            <td>
              {role.name}
              {role.description && <div class="hint">{role.description}</div>}
            </td>
            <td>{role.predefined_role ? 'predefined' : 'custom'}</td>
            <td class="secondary">{role.permissions.join(', ') || '—'}</td>
            <td>
              {!role.predefined_role && (
                <div class="row">
                  <button
                    type="button"
                    aria-label={`Edit ${role.name}`}
                    onClick={() =>
                      setDraft({ id: role.id, name: role.name, description: role.description ?? '', permissions: role.permissions })
                    }
                  >
                    Edit
                  </button>
                  <ConfirmButton
                    label="Delete"
                    name={`Delete ${role.name}`}
                    danger
                    question={`Delete the role ${role.name}? Everyone holding it loses it.`}
                    confirmLabel="Delete role"
                    disabled={action.busy}
                    onConfirm={() => void remove(role)}
                  />
                </div>
              )}
            </td>
          </tr>
        ))}
      </Table>
      <Pager list={list} label="Roles" />
    </Page>
  );
}
