import { render, type ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import './styles.css';
import { api, storedKey, storeKey, whenKeyRejected, type AdminKey, type Member, type Role } from './api.ts';
import { ErrorMessage, useAction } from './ui.tsx';
import { MembersPage } from './pages/members.tsx';
import { ProjectsPage, ProjectPage } from './pages/projects.tsx';
import { InvitesPage } from './pages/invites.tsx';
import { RolesPage } from './pages/roles.tsx';
import { GroupsPage } from './pages/groups.tsx';
import { AdminKeysPage } from './pages/admin-keys.tsx';
import { AuditLogPage } from './pages/audit-log.tsx';

/** Who is signed in, as far as the API tells: the organization, and the member owning the key. */
interface Identity {
  organizationId: string | null;
  owner: { name: string | null; email: string | null } | null;
}

/**
 * The organization's id is the suffix of its predefined roles' ids (`…__api-organization__<id>`).
 * `key` is the key being tried at sign-in; without it, the stored key is used.
 */
async function whoAmI(key?: string): Promise<Identity> {
  const [roles, keys] = await Promise.all([
    api<{ data: Role[] }>('GET', '/organization/roles', { key, query: { limit: 1 } }),
    api<{ data: AdminKey[] }>('GET', '/organization/admin_api_keys', { key, query: { limit: 100 } }),
  ]);
  const organizationId = roles.data[0]?.id.split('__api-organization__')[1] ?? null;
  // The key's own entry is the one whose redacted value shows the same first 8 and last 4 characters.
  const value = key ?? storedKey() ?? '';
  const mine = keys.data.find((entry) => entry.redacted_value.startsWith(value.slice(0, 8)) && entry.redacted_value.endsWith(value.slice(-4)));
  let owner: Identity['owner'] = null;
  if (mine) {
    const member = await api<Member>('GET', `/organization/users/${encodeURIComponent(mine.owner.id)}`, { key }).catch(() => null);
    owner = { name: member?.name ?? mine.owner.name ?? null, email: member?.email ?? null };
  }
  return { organizationId, owner };
}

const PAGES: { path: string; label: string; component: ComponentType }[] = [
  { path: 'members', label: 'Members', component: MembersPage },
  { path: 'projects', label: 'Projects', component: ProjectsPage },
  { path: 'invites', label: 'Invites', component: InvitesPage },
  { path: 'roles', label: 'Roles', component: RolesPage },
  { path: 'groups', label: 'Groups', component: GroupsPage },
  { path: 'admin-keys', label: 'Admin keys', component: AdminKeysPage },
  { path: 'audit-log', label: 'Audit log', component: AuditLogPage },
];

function currentRoute(): string[] {
  const parts = location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  return parts.length ? parts : ['members'];
}

function useRoute(): string[] {
  const [route, setRoute] = useState(currentRoute);
  useEffect(() => {
    const update = () => setRoute(currentRoute());
    addEventListener('hashchange', update);
    return () => removeEventListener('hashchange', update);
  }, []);
  // A new page moves focus to its heading, so keyboard and screen-reader users start there.
  useEffect(() => document.getElementById('page-title')?.focus(), [route.join('/')]);
  return route;
}

function SignIn({ onSignedIn, reason }: { onSignedIn: (key: string, identity: Identity) => void; reason: string | null }) {
  const [key, setKey] = useState('');
  const { busy, error, run } = useAction();
  const submit = (event: Event) => {
    event.preventDefault();
    const trimmed = key.trim();
    void run(async () => onSignedIn(trimmed, await whoAmI(trimmed)));
  };
  return (
    <main class="sign-in">
      <h1>roster console</h1>
      <p>Sign in with an admin key of your organization. roster printed one when it first started.</p>
      {reason && <p class="error" role="alert">{reason}</p>}
      <form onSubmit={submit}>
        <label for="admin-key">Admin key</label>
        <input
          id="admin-key"
          type="password"
          autoComplete="off"
          spellcheck={false}
          required
          value={key}
          onInput={(event) => setKey(event.currentTarget.value)}
        />
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <ErrorMessage error={error} />
      </form>
      <p class="hint">The key is kept in this tab only (session storage) and forgotten when you sign out or close it.</p>
    </main>
  );
}

function Shell({ identity, onSignOut }: { identity: Identity | null; onSignOut: () => void }) {
  const route = useRoute();
  const [section, id] = route;
  const page = PAGES.find((entry) => entry.path === section);
  const Content = page?.component ?? MembersPage;
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <div class="who">
          <strong>roster</strong>
          <span>
            Organization <code>{identity?.organizationId ?? '…'}</code>
          </span>
          {identity?.owner && (
            <span>
              Signed in as {identity.owner.name ?? identity.owner.email}
              {identity.owner.name && identity.owner.email ? ` (${identity.owner.email})` : ''}
            </span>
          )}
        </div>
        <button type="button" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <nav class="sections" aria-label="Sections">
        <ul>
          {PAGES.map((entry) => (
            <li key={entry.path}>
              <a href={`#/${entry.path}`} aria-current={entry.path === (page?.path ?? 'members') ? 'page' : undefined}>
                {entry.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main">
        {section === 'projects' && id ? <ProjectPage key={id} projectId={id} /> : <Content key={section} />}
      </main>
    </>
  );
}

function App() {
  const [signedIn, setSignedIn] = useState(storedKey() !== null);
  const [identity, setIdentity] = useState<Identity | null>(null);
  const [reason, setReason] = useState<string | null>(null);

  const signOut = (why: string | null = null) => {
    storeKey(null);
    setSignedIn(false);
    setIdentity(null);
    setReason(why);
  };

  // With a key already in this tab, the pages load at once; who it belongs to fills in beside them.
  // A key the server no longer accepts signs out (whenKeyRejected), whichever call notices first.
  useEffect(() => {
    whenKeyRejected((message) => signOut(`Signed out: ${message}`));
    if (signedIn) whoAmI().then(setIdentity, () => setIdentity(null));
  }, []);

  if (!signedIn) {
    return (
      <SignIn
        reason={reason}
        onSignedIn={(key, who) => {
          storeKey(key);
          setReason(null);
          setIdentity(who);
          setSignedIn(true);
        }}
      />
    );
  }
  return <Shell identity={identity} onSignOut={() => signOut()} />;
}

render(<App />, document.getElementById('app')!);
