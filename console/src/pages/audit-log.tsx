import { useEffect, useRef, useState } from 'preact/hooks';
import { api, nextCursor, type ListPage, type QueryValue } from '../api.ts';
// The event types the server accepts as a filter, bundled at build time.
import { AUDIT_EVENT_TYPES } from '../../../src/api/audit-logs/event-types.ts';
import { ErrorMessage, formatTime, Notice, Page } from '../ui.tsx';

interface AuditEvent {
  id: string;
  type: string;
  effective_at: number;
  project?: { id: string; name: string };
  actor: { api_key?: { id: string; user?: { email: string } } };
}

interface Filters {
  type: string;
  actorEmail: string;
  projectId: string;
  from: string;
  to: string;
}

const NO_FILTERS: Filters = { type: '', actorEmail: '', projectId: '', from: '', to: '' };

/** `datetime-local` values are read as UTC, as the list shows times in UTC. */
function toSeconds(value: string): number | undefined {
  return value ? Math.floor(Date.parse(`${value}:00Z`) / 1000) : undefined;
}

function toQuery(filters: Filters): Record<string, QueryValue> {
  return {
    event_types: filters.type ? [filters.type] : undefined,
    actor_emails: filters.actorEmail.trim() ? [filters.actorEmail.trim()] : undefined,
    project_ids: filters.projectId.trim() ? [filters.projectId.trim()] : undefined,
    effective_at: { gte: toSeconds(filters.from), lte: toSeconds(filters.to) },
  };
}

/**
 * Newest first, one page of the API at a time: the next page loads when the end of the list
 * scrolls into view (or on "Load older events", for keyboards), following the API's cursor.
 */
export function AuditLogPage() {
  const [draft, setDraft] = useState<Filters>(NO_FILTERS);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [events, setEvents] = useState<AuditEvent[]>([]);
  const [cursor, setCursor] = useState<string | undefined>(undefined);
  const [finished, setFinished] = useState(false);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [open, setOpen] = useState<string | null>(null);
  const end = useRef<HTMLDivElement>(null);
  const generation = useRef(0);

  const load = async (after: string | undefined, replace: boolean) => {
    const mine = ++generation.current;
    setLoading(true);
    try {
      const page = await api<ListPage<AuditEvent>>('GET', '/organization/audit_logs', { query: { ...toQuery(filters), limit: 25, after } });
      if (mine !== generation.current) return;
      setEvents((shown) => (replace ? page.data : [...shown, ...page.data]));
      setCursor(nextCursor(page));
      setFinished(!page.has_more);
      setError(null);
    } catch (caught) {
      if (mine === generation.current) setError(caught);
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  };

  useEffect(() => {
    void load(undefined, true);
  }, [filters]);

  useEffect(() => {
    const sentinel = end.current;
    if (!sentinel || finished || loading || error) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) void load(cursor, false);
    });
    observer.observe(sentinel);
    return () => observer.disconnect();
  }, [cursor, finished, loading, error]);

  const field = (name: keyof Filters) => ({
    value: draft[name],
    onInput: (event: { currentTarget: HTMLInputElement | HTMLSelectElement }) => setDraft({ ...draft, [name]: event.currentTarget.value }),
  });

  return (
    <Page title="Audit log">
      <form
        class="row"
        aria-label="Filter events"
        onSubmit={(event) => {
          event.preventDefault();
          setOpen(null);
          setFilters({ ...draft });
        }}
      >
        <label for="audit-type">Event type</label>
        <select id="audit-type" {...field('type')} onChange={field('type').onInput}>
          <option value="">Any</option>
          {AUDIT_EVENT_TYPES.map((type) => (
            <option key={type}>{type}</option>
          ))}
        </select>
        <label for="audit-actor">Actor e-mail</label>
        <input id="audit-actor" type="email" {...field('actorEmail')} />
        <label for="audit-project">Project id</label>
        <input id="audit-project" {...field('projectId')} />
        <label for="audit-from">From (UTC)</label>
        <input id="audit-from" type="datetime-local" {...field('from')} />
        <label for="audit-to">To (UTC)</label>
        <input id="audit-to" type="datetime-local" {...field('to')} />
        <button type="submit">Apply filters</button>
        <button
          type="button"
          onClick={() => {
            setDraft(NO_FILTERS);
            setFilters(NO_FILTERS);
          }}
        >
          Clear
        </button>
      </form>
      <ErrorMessage error={error} />
      <ol class="events" aria-label="Events, newest first" aria-busy={loading}>
        {events.map((event) => (
          <li key={event.id}>
            <button
              type="button"
              class="event"
              aria-expanded={open === event.id}
              aria-controls={`json-${event.id}`}
              onClick={() => setOpen(open === event.id ? null : event.id)}
            >
              <strong>{event.type}</strong> <span>{formatTime(event.effective_at)}</span>{' '}
              <span class="hint">
                by {event.actor.api_key?.user?.email ?? 'unknown'}
                {event.project ? ` in ${event.project.name}` : ''}
              </span>
            </button>
            {open === event.id && (
              <pre class="json" id={`json-${event.id}`} tabIndex={0} aria-label={`Event ${event.id} as JSON`}>
                {JSON.stringify(event, null, 2)}
              </pre>
            )}
          </li>
        ))}
      </ol>
      {!loading && events.length === 0 && !error && <Notice>No events match.</Notice>}
      <div ref={end} class="row">
        {finished ? (
          events.length > 0 && <span class="hint">That is the oldest event.</span>
        ) : (
          <button type="button" disabled={loading} onClick={() => void load(cursor, false)}>
            {loading ? 'Loading…' : 'Load older events'}
          </button>
        )}
      </div>
    </Page>
  );
}
