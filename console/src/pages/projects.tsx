import { useEffect, useState } from 'preact/hooks';
import { api, type ListPage, type Member, type Project } from '../api.ts';
import { ConfirmButton, ErrorMessage, formatTime, Notice, Outcome, Page, Pager, useAction, usePagedList, Table, NameForm } from '../ui.tsx';
import { ProjectGroups, ProjectKeys, ServiceAccounts } from './project-extras.tsx';

export function ProjectsPage() {
  const [includeArchived, setIncludeArchived] = useState(false);
  const list = usePagedList<Project>('/organization/projects', { include_archived: includeArchived ? 'true' : undefined });
  const create = useAction();
  const [created, setCreated] = useState<Project | null>(null);

  const submit = (name: string) =>
    create.run(async () => {
      setCreated(await api<Project>('POST', '/organization/projects', { body: { name } }));
      list.reload();
    });

  return (
    <Page title="Projects">
      <NameForm id="project-name" purpose="Create a project" label="New project name" submitLabel="Create project" busy={create.busy} onSubmit={submit} />
      <ErrorMessage error={create.error ?? list.error} />
      {created && !create.error && (
        <Notice>
          Project <a href={`#/projects/${created.id}`}>{created.name}</a> was created.
        </Notice>
      )}
      <div class="row">
        <input
          id="include-archived"
          type="checkbox"
          checked={includeArchived}
          onChange={(event) => setIncludeArchived(event.currentTarget.checked)}
        />
        <label for="include-archived">Show archived projects</label>
      </div>
      <Table caption="Projects" busy={list.loading} columns={['Name', 'Status', { label: 'Created', secondary: true }]}>
        {list.items.map((project) => (
          <tr key={project.id}>
            <td>
              <a href={`#/projects/${project.id}`}>{project.name}</a>
            </td>
            <td>{project.status}</td>
            <td class="secondary">{formatTime(project.created_at)}</td>
          </tr>
        ))}
      </Table>
      {list.empty && <Notice>No projects yet.</Notice>}
      <Pager list={list} label="Projects" />
    </Page>
  );
}

/** One project: rename, archive, and who is in it (members, groups, service accounts, keys). */
export function ProjectPage({ projectId }: { projectId: string }) {
  const [project, setProject] = useState<Project | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const action = useAction();
  const path = `/organization/projects/${encodeURIComponent(projectId)}`;

  useEffect(() => {
    api<Project>('GET', path).then(setProject, setLoadError);
  }, [path]);

  if (loadError) {
    return (
      <Page title="Project">
        <ErrorMessage error={loadError} />
        <a href="#/projects">Back to projects</a>
      </Page>
    );
  }
  if (!project) return <p role="status">Loading…</p>;
  const archived = project.status === 'archived';

  const rename = (name: string) =>
    action.run(async () => {
      const renamed = await api<Project>('POST', path, { body: { name } });
      setProject(renamed);
      action.setDone(`The project is now called ${renamed.name}.`);
    });
  const archive = () =>
    action.run(async () => {
      setProject(await api<Project>('POST', `${path}/archive`));
      action.setDone('The project was archived.');
    });

  return (
    <Page title={`Project ${project.name}`}>
      <p>
        <a href="#/projects">All projects</a> · <code>{project.id}</code> · {project.status}
        {project.archived_at ? ` since ${formatTime(project.archived_at)}` : ''}
      </p>
      <NameForm
        id="project-rename"
        purpose="Rename the project"
        label="Name"
        submitLabel="Rename"
        initial={project.name}
        busy={action.busy}
        disabled={archived}
        onSubmit={rename}
      >
        <ConfirmButton
          label="Archive project"
          danger
          question={`Archive ${project.name}? Its keys stop working and it cannot be changed afterwards.`}
          confirmLabel="Archive"
          disabled={action.busy || archived}
          onConfirm={() => void archive()}
        />
      </NameForm>
      <Outcome action={action} />
      <ProjectMembers projectPath={path} archived={archived} />
      <ProjectGroups projectId={projectId} projectPath={path} archived={archived} />
      <ServiceAccounts projectPath={path} archived={archived} />
      <ProjectKeys projectPath={path} />
    </Page>
  );
}

interface ProjectMember {
  id: string;
  email: string;
  name: string | null;
  role: string;
  added_at: number;
}

const PROJECT_ROLES = ['owner', 'member', 'viewer'];

function ProjectMembers({ projectPath, archived }: { projectPath: string; archived: boolean }) {
  const list = usePagedList<ProjectMember>(`${projectPath}/users`, {});
  const [email, setEmail] = useState('');
  const [role, setRole] = useState('member');
  const action = useAction();

  const add = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      const wanted = email.trim();
      const found = await api<ListPage<Member>>('GET', '/organization/users', { query: { emails: [wanted], limit: 1 } });
      const member = found.data[0];
      if (!member) throw new Error(`No member of the organization has the e-mail ${wanted}. Invite them first.`);
      await api('POST', `${projectPath}/users`, { body: { user_id: member.id, role } });
      action.setDone(`${wanted} was added to the project as ${role}.`);
      setEmail('');
      list.reload();
    });
  };
  const changeRole = async (member: ProjectMember, newRole: string) => {
    await action.run(async () => {
      await api('POST', `${projectPath}/users/${member.id}`, { body: { role: newRole } });
      action.setDone(`${member.email} is now ${newRole} in the project.`);
    });
    list.reload(); // on a refusal too, so the select shows the role the server kept
  };
  const remove = (member: ProjectMember) =>
    action.run(async () => {
      await api('DELETE', `${projectPath}/users/${member.id}`);
      action.setDone(`${member.email} was removed from the project.`);
      list.reload();
    });

  return (
    <section aria-labelledby="project-members">
      <h2 id="project-members">Members</h2>
      <form class="row" onSubmit={add} aria-label="Add a member to the project">
        <label for="project-member-email">E-mail of a member</label>
        <input id="project-member-email" type="email" required value={email} onInput={(event) => setEmail(event.currentTarget.value)} />
        <label for="project-member-role">Role</label>
        <select id="project-member-role" value={role} onChange={(event) => setRole(event.currentTarget.value)}>
          {PROJECT_ROLES.map((name) => (
            <option key={name}>{name}</option>
          ))}
        </select>
        <button type="submit" disabled={action.busy || archived}>
          Add to project
        </button>
      </form>
      <Outcome action={action} alsoError={list.error} />
      <Table caption="Members of the project" busy={list.loading} columns={['E-mail', 'Role', { label: 'Added', secondary: true }]} actions>
        {list.items.map((member) => (
          <tr key={member.id}>
            <td>{member.email}</td>
            <td>
              <select
                aria-label={`Project role of ${member.email}`}
                value={member.role}
                disabled={action.busy || archived}
                onChange={(event) => void changeRole(member, event.currentTarget.value)}
              >
                {PROJECT_ROLES.map((name) => (
                  <option key={name}>{name}</option>
                ))}
              </select>
            </td>
            <td class="secondary">{formatTime(member.added_at)}</td>
            <td>
              <ConfirmButton
                label="Remove"
                name={`Remove ${member.email} from the project`}
                danger
                question={`Remove ${member.email} from this project?`}
                confirmLabel="Remove from project"
                disabled={action.busy || archived}
                onConfirm={() => void remove(member)}
              />
            </td>
          </tr>
        ))}
      </Table>
      {list.empty && <Notice>Nobody is in this project yet.</Notice>}
      <Pager list={list} label="Project members" />
    </section>
  );
}
