import { useEffect, useState } from 'preact/hooks';
import { api, listAll, type Project } from '../api.ts';
import { ConfirmButton, formatTime, Notice, Outcome, Page, Pager, useAction, usePagedList, Table } from '../ui.tsx';

interface Invite {
  id: string;
  email: string;
  role: string;
  status: 'pending' | 'accepted' | 'expired';
  created_at: number;
  expires_at: number | null;
  accepted_at: number | null;
  projects: { id: string; role: string }[];
}

interface Grant {
  id: string;
  role: string;
}

/** The projects offered in the invite form: active ones, a few pages at most. */
function useActiveProjects(): Project[] {
  const [projects, setProjects] = useState<Project[]>([]);
  useEffect(() => {
    listAll<Project>('/organization/projects', {}, 5).then(setProjects, () => setProjects([]));
  }, []);
  return projects;
}

export function InvitesPage() {
  const list = usePagedList<Invite>('/organization/invites', {});
  const projects = useActiveProjects();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState('reader');
  const [grants, setGrants] = useState<Grant[]>([]);
  const action = useAction();
  const projectName = (id: string) => projects.find((project) => project.id === id)?.name ?? id;

  const send = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      const invite = await api<Invite>('POST', '/organization/invites', {
        body: { email: email.trim(), role, projects: grants.filter((grant) => grant.id) },
      });
      action.setDone(`An invite was sent to ${invite.email}.`);
      setEmail('');
      setGrants([]);
      list.reload();
    });
  };
  const revoke = (invite: Invite) =>
    action.run(async () => {
      await api('DELETE', `/organization/invites/${invite.id}`);
      action.setDone(`The invite to ${invite.email} was revoked.`);
      list.reload();
    });
  const setGrant = (index: number, change: Partial<Grant>) =>
    setGrants(grants.map((grant, i) => (i === index ? { ...grant, ...change } : grant)));

  return (
    <Page title="Invites">
      <form class="stack" onSubmit={send} aria-label="Send an invite">
        <label for="invite-email">E-mail</label>
        <input id="invite-email" type="email" required value={email} onInput={(event) => setEmail(event.currentTarget.value)} />
        <label for="invite-role">Organization role</label>
        <select id="invite-role" value={role} onChange={(event) => setRole(event.currentTarget.value)}>
          <option value="reader">reader</option>
          <option value="owner">owner</option>
        </select>
        <fieldset>
          <legend>Projects to join on acceptance</legend>
          {grants.map((grant, index) => (
            <div class="row" key={index}>
              <label for={`invite-project-${index}`}>Project</label>
              <select id={`invite-project-${index}`} value={grant.id} onChange={(event) => setGrant(index, { id: event.currentTarget.value })}>
                <option value="">Choose a project</option>
                {projects.map((project) => (
                  <option key={project.id} value={project.id}>
                    {project.name}
                  </option>
                ))}
              </select>
              <label for={`invite-project-role-${index}`}>Role</label>
              <select
                id={`invite-project-role-${index}`}
                value={grant.role}
                onChange={(event) => setGrant(index, { role: event.currentTarget.value })}
              >
                <option value="member">member</option>
                <option value="owner">owner</option>
              </select>
              <button type="button" onClick={() => setGrants(grants.filter((_, i) => i !== index))}>
                Remove project {index + 1}
              </button>
            </div>
          ))}
          <button type="button" onClick={() => setGrants([...grants, { id: '', role: 'member' }])}>
            Add a project
          </button>
        </fieldset>
        <div>
          <button type="submit" disabled={action.busy}>
            Send invite
          </button>
        </div>
      </form>
      <Outcome action={action} alsoError={list.error} />
      <Table caption="Invites" busy={list.loading} columns={['E-mail', 'Status', { label: 'Role and projects', secondary: true }, { label: 'Expires', secondary: true }]} actions>
        {list.items.map((invite) => (
          <tr key={invite.id}>
            <td>{invite.email}</td>
            <td>{invite.status}</td>
            <td class="secondary">
              {invite.role}
              {invite.projects.map((grant) => `, ${projectName(grant.id)} (${grant.role})`).join('')}
            </td>
            <td class="secondary">{invite.status === 'accepted' ? `accepted ${formatTime(invite.accepted_at)}` : formatTime(invite.expires_at)}</td>
            <td>
              <ConfirmButton
                label="Revoke"
                name={`Revoke the invite to ${invite.email}`}
                danger
                question={`Revoke the invite to ${invite.email}?`}
                confirmLabel="Revoke invite"
                disabled={action.busy || invite.status === 'accepted'}
                onConfirm={() => void revoke(invite)}
              />
            </td>
          </tr>
        ))}
      </Table>
      {list.empty && <Notice>No invites.</Notice>}
      <Pager list={list} label="Invites" />
    </Page>
  );
}
