import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiProblem, nextCursor, type ListPage, type QueryValue } from './api.ts';

export function formatTime(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  return new Date(seconds * 1000).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}

/** A readable sentence for anything an action threw. */
export function describe(error: unknown): string {
  if (error instanceof ApiProblem) return error.message;
  return error instanceof Error ? error.message : String(error);
}

export function ErrorMessage({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p class="error" role="alert">
      {describe(error)}
    </p>
  );
}

export function Notice({ children }: { children: ComponentChildren }) {
  return (
    <p class="notice" role="status">
      {children}
    </p>
  );
}

/**
 * Runs one user action at a time: `busy` while it runs, the error it threw (kept until the next
 * try), what the last success said (`setDone`), and `run` resolving to whether it succeeded, so
 * forms clear their inputs only on success. `<Outcome>` shows the error or the message.
 */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const run = useCallback(async (action: () => Promise<unknown>): Promise<boolean> => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      await action();
      return true;
    } catch (caught) {
      setError(caught);
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, done, run, setDone };
}

/** The last action's error (or else `alsoError`, a list's), or what its success said. */
export function Outcome({ action, alsoError }: { action: ReturnType<typeof useAction>; alsoError?: unknown }) {
  return (
    <>
      <ErrorMessage error={action.error ?? alsoError} />
      {action.done && <Notice>{action.done}</Notice>}
    </>
  );
}

/**
 * One page of a list at a time, moving with the API's cursors: forward with the last cursor, back
 * through the cursors already seen. Nothing ever asks for the whole list.
 */
export function usePagedList<T>(path: string | null, query: Record<string, QueryValue>, limit = 20) {
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [page, setPage] = useState<ListPage<T> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [version, setVersion] = useState(0);
  // Which request the shown page answers: until the wanted one has answered, the list is loading.
  const [answered, setAnswered] = useState<string | null>(null);
  const queryKey = JSON.stringify(query);

  useEffect(() => setCursors([undefined]), [path, queryKey]);

  const after = cursors.at(-1);
  const wanted = JSON.stringify([path, queryKey, after, version]);
  useEffect(() => {
    if (path === null) return;
    let current = true;
    api<ListPage<T>>('GET', path, { query: { ...query, limit, after } })
      .then((result) => {
        if (!current) return;
        setPage(result);
        setError(null);
      })
      .catch((caught) => current && setError(caught))
      .finally(() => current && setAnswered(wanted));
    return () => {
      current = false;
    };
  }, [wanted]);

  const loading = answered !== wanted;
  const following = page && !loading ? nextCursor(page) : undefined;
  return {
    items: page?.data ?? [],
    /** Loaded, not loading anything newer, and nothing in it. */
    empty: page !== null && !loading && page.data.length === 0,
    error,
    loading,
    pageNumber: cursors.length,
    hasNext: following !== undefined,
    hasPrevious: cursors.length > 1,
    next: () => following !== undefined && setCursors([...cursors, following]),
    previous: () => setCursors(cursors.slice(0, -1)),
    reload: () => setVersion((v) => v + 1),
  };
}

/**
 * A one-field form for a name, to create something (cleared after success) or rename it (starts
 * from `initial`). `onSubmit` resolves to whether it worked; on failure the typed name stays.
 */
export function NameForm(props: {
  id: string;
  purpose: string;
  label: string;
  submitLabel: string;
  initial?: string;
  busy: boolean;
  disabled?: boolean;
  onSubmit: (name: string) => Promise<boolean>;
  children?: ComponentChildren;
}) {
  const [name, setName] = useState(props.initial ?? '');
  const submit = async (event: Event) => {
    event.preventDefault();
    if ((await props.onSubmit(name.trim())) && props.initial === undefined) setName('');
  };
  return (
    <form class="row" onSubmit={submit} aria-label={props.purpose}>
      <label for={props.id}>{props.label}</label>
      <input id={props.id} required value={name} disabled={props.disabled} onInput={(event) => setName(event.currentTarget.value)} />
      <button type="submit" disabled={props.busy || props.disabled}>
        {props.submitLabel}
      </button>
      {props.children}
    </form>
  );
}

/** A column heading; `secondary` columns give way on narrow screens. */
export type Column = string | { label: string; secondary: true };

/** A data table in its own scrolling box, with a caption for screen readers and, if `actions`, a last unlabelled column of buttons. */
export function Table(props: { caption: string; busy: boolean; columns: Column[]; actions?: boolean; children: ComponentChildren }) {
  return (
    <div class="table-wrap">
      <table aria-busy={props.busy}>
        <caption class="visually-hidden">{props.caption}</caption>
        <thead>
          <tr>
            {props.columns.map((column) =>
              typeof column === 'string' ? (
                <th scope="col" key={column}>
                  {column}
                </th>
              ) : (
                <th scope="col" class="secondary" key={column.label}>
                  {column.label}
                </th>
              ),
            )}
            {props.actions && (
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>{props.children}</tbody>
      </table>
    </div>
  );
}

export function Pager({ list, label }: { list: ReturnType<typeof usePagedList<any>>; label: string }) {
  return (
    <nav class="pager" aria-label={`${label} pages`}>
      <button type="button" onClick={list.previous} disabled={!list.hasPrevious || list.loading}>
        Previous page
      </button>
      <span aria-live="polite">Page {list.pageNumber}</span>
      <button type="button" onClick={list.next} disabled={!list.hasNext || list.loading}>
        Next page
      </button>
    </nav>
  );
}

/** A button that asks first, in a modal dialog that starts on "Cancel". */
export function ConfirmButton(props: {
  label: string;
  /** The button's accessible name when `label` alone is ambiguous (one per table row). */
  name?: string;
  question: string;
  confirmLabel: string;
  onConfirm: () => void;
  disabled?: boolean;
  describedBy?: string;
  danger?: boolean;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  return (
    <>
      <button
        type="button"
        class={props.danger ? 'danger' : undefined}
        disabled={props.disabled}
        aria-label={props.name}
        aria-describedby={props.describedBy}
        onClick={() => dialog.current?.showModal()}
      >
        {props.label}
      </button>
      <dialog ref={dialog} aria-label={props.question}>
        <form method="dialog">
          <p>{props.question}</p>
          <div class="row">
            <button value="cancel" autofocus>
              Cancel
            </button>
            <button value="confirm" class="danger" onClick={props.onConfirm}>
              {props.confirmLabel}
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}

/** A secret the API returns only once: shown with a copy button and a warning. */
export function SecretOnce({ label, value, onDone }: { label: string; value: string; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <section class="secret" aria-label={label}>
      <p>
        <strong>{label}.</strong> Copy it now: it is shown only this once.
      </p>
      <div class="row">
        <input readOnly value={value} aria-label={label} onFocus={(event) => event.currentTarget.select()} />
        <button
          type="button"
          onClick={() => navigator.clipboard.writeText(value).then(() => setCopied(true), () => setCopied(false))}
        >
          Copy
        </button>
        <button type="button" onClick={onDone}>
          Done
        </button>
      </div>
      {copied && <Notice>Copied to the clipboard.</Notice>}
    </section>
  );
}

/** What a page shows when this server does not have the endpoints it is built on (yet). */
export function NotAvailable({ what }: { what: string }) {
  return (
    <Notice>
      {what} are not available on this server: it does not offer the endpoints for them.
    </Notice>
  );
}

export function isMissingEndpoint(error: unknown): boolean {
  return error instanceof ApiProblem && error.endpointMissing;
}

export function Page({ title, children }: { title: string; children: ComponentChildren }) {
  useEffect(() => {
    document.title = `${title} · roster console`;
  }, [title]);
  return (
    <section class="page" aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>
        {title}
      </h1>
      {children}
    </section>
  );
}
