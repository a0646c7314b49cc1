import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, listAll, type Role } from '../api.ts';
import { ConfirmButton, formatTime, isMissingEndpoint, NotAvailable, Notice, Outcome, Pager, SecretOnce, useAction, usePagedList, NameForm } from '../ui.tsx';

/**
 * The parts of a project built on endpoints that a roster may not have yet (groups, service
 * accounts, project API keys): each shows "not available on this server" when its list is a 404
 * from the router.
 */

interface ProjectGroup {
  group_id: string;
  group_name: string;
  group_type: string;
  created_at: number;
}

interface Group {
  id: string;
  name: string;
}

function Section({ id, title, children }: { id: string; title: string; children: ComponentChildren }) {
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

/** The project's own role catalogue (`/v1/projects/{id}/roles`), for granting a role to a group. */
function useProjectRoles(projectId: string): Role[] {
  const [roles, setRoles] = useState<Role[]>([]);
  useEffect(() => {
    listAll<Role>(`/projects/${encodeURIComponent(projectId)}/roles`).then(setRoles, () => setRoles([]));
  }, [projectId]);
  return roles;
}

export function ProjectGroups({ projectId, projectPath, archived }: { projectId: string; projectPath: string; archived: boolean }) {
  const list = usePagedList<ProjectGroup>(`${projectPath}/groups`, {});
  const roles = useProjectRoles(projectId);
  const [groups, setGroups] = useState<Group[]>([]);
  const [groupId, setGroupId] = useState('');
  const [roleId, setRoleId] = useState('');
  const action = useAction();
  const missing = isMissingEndpoint(list.error);

  useEffect(() => {
    if (!missing) listAll<Group>('/organization/groups').then(setGroups, () => setGroups([]));
  }, [missing]);

  if (missing) {
    return (
      <Section id="project-groups" title="Groups">
        <NotAvailable what="Groups" />
      </Section>
    );
  }
  const add = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      await api('POST', `${projectPath}/groups`, { body: { group_id: groupId, role: roleId || roles[0]?.id } });
      action.setDone('The group was given access to the project.');
      list.reload();
    });
  };
  const remove = (group: ProjectGroup) =>
    action.run(async () => {
      await api('DELETE', `${projectPath}/groups/${group.group_id}`);
      action.setDone(`${group.group_name} no longer has access to the project.`);
      list.reload();
    });

  return (
    <Section id="project-groups" title="Groups">
      <form class="row" onSubmit={add} aria-label="Give a group access to the project">
        <label for="project-group">Group</label>
        <select id="project-group" required value={groupId} onChange={(event) => setGroupId(event.currentTarget.value)}>
          <option value="">Choose a group</option>
          {groups.map((group) => (
            <option key={group.id} value={group.id}>
              {group.name}
            </option>
          ))}
        </select>
        <label for="project-group-role">Role</label>
        <select id="project-group-role" value={roleId} onChange={(event) => setRoleId(event.currentTarget.value)}>
          {roles.map((role) => (
            <option key={role.id} value={role.id}>
              {role.name}
            </option>
          ))}
        </select>
        <button type="submit" disabled={action.busy || archived}>
          Add group
        </button>
      </form>
      <Outcome action={action} alsoError={list.error} />
      <ul>
        {list.items.map((group) => (
          <li key={group.group_id} class="row">
            <span>
              {group.group_name} <span class="hint">({group.group_type}, since {formatTime(group.created_at)})</span>
            </span>
            <ConfirmButton
              label="Remove"
              name={`Remove group ${group.group_name}`}
              danger
              question={`Take ${group.group_name}'s access to this project away?`}
              confirmLabel="Remove group"
              disabled={action.busy || archived}
              onConfirm={() => void remove(group)}
            />
          </li>
        ))}
      </ul>
      {list.empty && <Notice>No group has access to this project.</Notice>}
      <Pager list={list} label="Project groups" />
    </Section>
  );
}

interface ServiceAccount {
  id: string;
  name: string;
  role: string;
  created_at: number;
}

interface CreatedServiceAccount extends ServiceAccount {
  api_key: { value: string } | null;
}

export function ServiceAccounts({ projectPath, archived }: { projectPath: string; archived: boolean }) {
  const list = usePagedList<ServiceAccount>(`${projectPath}/service_accounts`, {});
  const action = useAction();
  const [secret, setSecret] = useState<string | null>(null);

  if (isMissingEndpoint(list.error)) {
    return (
      <Section id="service-accounts" title="Service accounts">
        <NotAvailable what="Service accounts" />
      </Section>
    );
  }
  const create = (name: string) =>
    action.run(async () => {
      const created = await api<CreatedServiceAccount>('POST', `${projectPath}/service_accounts`, { body: { name } });
      setSecret(created.api_key?.value ?? null);
      action.setDone(`Service account ${created.name} was created.`);
      list.reload();
    });
  const remove = (account: ServiceAccount) =>
    action.run(async () => {
      await api('DELETE', `${projectPath}/service_accounts/${account.id}`);
      action.setDone(`Service account ${account.name} was deleted.`);
      list.reload();
    });

  return (
    <Section id="service-accounts" title="Service accounts">
      <NameForm
        id="service-account-name"
        purpose="Create a service account"
        label="Service account name"
        submitLabel="Create service account"
        busy={action.busy}
        disabled={archived}
        onSubmit={create}
      />
      <Outcome action={action} alsoError={list.error} />
      {secret && <SecretOnce label="The service account's API key" value={secret} onDone={() => setSecret(null)} />}
      <ul>
        {list.items.map((account) => (
          <li key={account.id} class="row">
            <span>
              {account.name} <span class="hint">({account.role}, created {formatTime(account.created_at)})</span>
            </span>
            <ConfirmButton
              label="Delete"
              name={`Delete service account ${account.name}`}
              danger
              question={`Delete the service account ${account.name} and its keys?`}
              confirmLabel="Delete service account"
              disabled={action.busy}
              onConfirm={() => void remove(account)}
            />
          </li>
        ))}
      </ul>
      {list.empty && <Notice>This project has no service accounts.</Notice>}
      <Pager list={list} label="Service accounts" />
    </Section>
  );
}

interface ProjectKey {
  id: string;
  name: string;
  redacted_value: string;
  created_at: number;
  last_used_at: number | null;
  owner: { type: string; user?: { email?: string; name?: string }; service_account?: { name?: string } };
}

function keyOwner(key: ProjectKey): string {
  if (key.owner.type === 'service_account') return `service account ${key.owner.service_account?.name ?? ''}`;
  return key.owner.user?.email ?? key.owner.user?.name ?? 'a member';
}

/**
 * Project API keys are made by their owners (or with a service account), so this lists them and
 * revokes people's keys; a service account's key is revoked by deleting the account.
 */
export function ProjectKeys({ projectPath }: { projectPath: string }) {
  const list = usePagedList<ProjectKey>(`${projectPath}/api_keys`, {});
  const action = useAction();

  if (isMissingEndpoint(list.error)) {
    return (
      <Section id="project-keys" title="API keys">
        <NotAvailable what="Project API keys" />
      </Section>
    );
  }
  const revoke = (key: ProjectKey) =>
    action.run(async () => {
      await api('DELETE', `${projectPath}/api_keys/${key.id}`);
      action.setDone(`The key ${key.name} was revoked.`);
      list.reload();
    });

  return (
    <Section id="project-keys" title="API keys">
      <Outcome action={action} alsoError={list.error} />
      <ul>
        {list.items.map((key) => (
          <li key={key.id} class="row">
            <span>
              {key.name} <code>{key.redacted_value}</code>{' '}
              <span class="hint">
                (of {keyOwner(key)}, last used {formatTime(key.last_used_at)})
              </span>
            </span>
            {key.owner.type === 'service_account' ? (
              // The API refuses to delete a service account's key on its own: it goes with the account.
              <span class="hint">revoked by deleting its service account</span>
            ) : (
              <ConfirmButton
                label="Revoke"
                name={`Revoke key ${key.name}`}
                danger
                question={`Revoke the key ${key.name}? Programs using it stop working at once.`}
                confirmLabel="Revoke key"
                disabled={action.busy}
                onConfirm={() => void revoke(key)}
              />
            )}
          </li>
        ))}
      </ul>
      {list.empty && <Notice>This project has no API keys.</Notice>}
      <Pager list={list} label="Project API keys" />
    </Section>
  );
}
