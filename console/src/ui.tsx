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
 * try), and `run` resolving to whether it succeeded, so forms clear their inputs only on success.
 */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = useCallback(async (action: () => Promise<unknown>): Promise<boolean> => {
    setBusy(true);
    setError(null);
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
  return { busy, error, run, setError };
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
