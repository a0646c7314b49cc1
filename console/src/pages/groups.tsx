import { useState } from 'preact/hooks';
import { api, type ListPage, type Member } from '../api.ts';
import { ConfirmButton, formatTime, isMissingEndpoint, NotAvailable, Notice, Outcome, Page, Pager, useAction, usePagedList, NameForm } from '../ui.tsx';

interface Group {
  id: string;
  name: string;
  created_at: number;
  is_scim_managed: boolean;
}

interface GroupUser {
  id: string;
  name: string;
  email: string | null;
}

export function GroupsPage() {
  const list = usePagedList<Group>('/organization/groups', {});
  const [selected, setSelected] = useState<Group | null>(null);
  const action = useAction();

  if (isMissingEndpoint(list.error)) {
    return (
      <Page title="Groups">
        <NotAvailable what="Groups" />
      </Page>
    );
  }
  const create = (name: string) =>
    action.run(async () => {
      const group = await api<Group>('POST', '/organization/groups', { body: { name } });
      action.setDone(`The group ${group.name} was created.`);
      list.reload();
    });
  const rename = (group: Group, newName: string) =>
    action.run(async () => {
      await api('POST', `/organization/groups/${group.id}`, { body: { name: newName } });
      action.setDone(`The group is now called ${newName}.`);
      setSelected({ ...group, name: newName });
      list.reload();
    });
  const remove = (group: Group) =>
    action.run(async () => {
      await api('DELETE', `/organization/groups/${group.id}`);
      action.setDone(`The group ${group.name} was deleted.`);
      setSelected(null);
      list.reload();
    });

  return (
    <Page title="Groups">
      <NameForm id="group-name" purpose="Create a group" label="New group name" submitLabel="Create group" busy={action.busy} onSubmit={create} />
      <Outcome action={action} alsoError={list.error} />
      <ul>
        {list.items.map((group) => (
          <li key={group.id} class="row">
            <button type="button" aria-pressed={selected?.id === group.id} onClick={() => setSelected(group)}>
              {group.name}
            </button>
            <span class="hint">created {formatTime(group.created_at)}</span>
          </li>
        ))}
      </ul>
      {list.empty && <Notice>No groups yet.</Notice>}
      <Pager list={list} label="Groups" />
      {selected && <GroupDetail key={selected.id} group={selected} busy={action.busy} onRename={rename} onRemove={remove} />}
    </Page>
  );
}

function GroupDetail(props: {
  group: Group;
  busy: boolean;
  onRename: (group: Group, name: string) => Promise<boolean>;
  onRemove: (group: Group) => void;
}) {
  const { group } = props;
  const members = usePagedList<GroupUser>(`/organization/groups/${group.id}/users`, {});
  const [email, setEmail] = useState('');
  const action = useAction();

  const add = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      const wanted = email.trim();
      const found = await api<ListPage<Member>>('GET', '/organization/users', { query: { emails: [wanted], limit: 1 } });
      const member = found.data[0];
      if (!member) throw new Error(`No member of the organization has the e-mail ${wanted}.`);
      await api('POST', `/organization/groups/${group.id}/users`, { body: { user_id: member.id } });
      action.setDone(`${wanted} was added to ${group.name}.`);
      setEmail('');
      members.reload();
    });
  };
  const remove = (user: GroupUser) =>
    action.run(async () => {
      await api('DELETE', `/organization/groups/${group.id}/users/${user.id}`);
      action.setDone(`${user.email ?? user.name} was taken out of ${group.name}.`);
      members.reload();
    });

  return (
    <section aria-labelledby="group-detail">
      <h2 id="group-detail">Group {group.name}</h2>
      <NameForm
        id="group-rename"
        purpose="Rename the group"
        label="Name"
        submitLabel="Rename"
        initial={group.name}
        busy={props.busy}
        onSubmit={(name) => props.onRename(group, name)}
      >
        <ConfirmButton
          label="Delete group"
          danger
          question={`Delete the group ${group.name}? Its members keep their own access.`}
          confirmLabel="Delete"
          disabled={props.busy}
          onConfirm={() => props.onRemove(group)}
        />
      </NameForm>
      <form class="row" onSubmit={add} aria-label="Add a member to the group">
        <label for="group-member-email">E-mail of a member</label>
        <input id="group-member-email" type="email" required value={email} onInput={(event) => setEmail(event.currentTarget.value)} />
        <button type="submit" disabled={action.busy}>
          Add to group
        </button>
      </form>
      <Outcome action={action} alsoError={members.error} />
      <ul>
        {members.items.map((user) => (
          <li key={user.id} class="row">
            <span>{user.email ?? user.name}</span>
            <ConfirmButton
              label="Remove"
              name={`Remove ${user.email ?? user.name} from the group`}
              danger
              question={`Take ${user.email ?? user.name} out of ${group.name}?`}
              confirmLabel="Remove from group"
              disabled={action.busy}
              onConfirm={() => void remove(user)}
            />
          </li>
        ))}
      </ul>
      {members.empty && <Notice>Nobody is in this group yet.</Notice>}
      <Pager list={members} label="Group members" />
    </section>
  );
}
