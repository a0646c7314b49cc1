import type { FastifyRequest } from 'fastify';
import { parseQueryString } from '../../http/query-string.ts';
import { nowSeconds } from '../../lib/time.ts';
import type { Invite } from '../../api/invites/schemas.ts';
import type { JournalQuery } from './schemas.ts';

export interface JournalEntry {
  object: 'emulator.request';
  method: string;
  path: string;
  /** The query as the client sent it. */
  query: Record<string, unknown>;
  /** The body as roster read it (defaults of optional fields filled in). */
  body: unknown;
  /** The status answered, or null when a fault dropped the connection. */
  status: number | null;
  operation_id: string | null;
  /** When it arrived, on the emulator clock (Unix seconds). */
  time: number;
  /** The fault rule that acted on it, if any. */
  fault: string | null;
}

/** The journal keeps the latest requests only, so a long-running emulator stays small. */
const JOURNAL_LIMIT = 10_000;

/** An entry as recorded: the query string is parsed only when someone reads the journal. */
type Recorded = Omit<JournalEntry, 'query'> & { rawQuery: string };

/** Every request the API answered (the emulator's own control requests excepted), oldest first. */
export class Journal {
  #entries: Recorded[] = [];

  record(request: FastifyRequest, status: number | null, fault: string | null): void {
    // Trimmed in bulk, once per JOURNAL_LIMIT requests: shifting the array on every request past
    // the limit would cost each request a move of ten thousand entries.
    if (this.#entries.length >= 2 * JOURNAL_LIMIT) this.#entries = this.#entries.slice(-JOURNAL_LIMIT);
    const queryAt = request.url.indexOf('?');
    this.#entries.push({
      object: 'emulator.request',
      method: request.method,
      path: queryAt < 0 ? request.url : request.url.slice(0, queryAt),
      rawQuery: queryAt < 0 ? '' : request.url.slice(queryAt + 1),
      body: request.body ?? null,
      status,
      operation_id: request.routeOptions.schema?.operationId ?? null,
      time: nowSeconds(),
      fault,
    });
  }

  list(filter: JournalQuery = {}): JournalEntry[] {
    return this.#entries
      .slice(-JOURNAL_LIMIT)
      .filter(
        (entry) =>
          (filter.method === undefined || entry.method === filter.method.toUpperCase()) &&
          (filter.path === undefined || entry.path === filter.path) &&
          (filter.operation_id === undefined || entry.operation_id === filter.operation_id) &&
          (filter.status === undefined || entry.status === filter.status),
      )
      .map(({ rawQuery, ...entry }) => ({ ...entry, query: parseQueryString(rawQuery) }));
  }

  clear(): void {
    this.#entries = [];
  }
}

export interface SentEmail {
  object: 'emulator.email';
  to: string;
  invite_id: string;
  role: string;
  /** When roster would have sent it (emulator clock). */
  sent_at: number;
  expires_at: number | null;
  /** Where a test accepts it: POST it with an admin key of the organization (body optional). */
  accept_url: string;
}

/** The invite e-mails roster would have sent, oldest first: a test reads the link from here. */
export class SentEmails {
  #emails: SentEmail[] = [];

  record(invite: Invite, origin: string): void {
    this.#emails.push({
      object: 'emulator.email',
      to: invite.email,
      invite_id: invite.id,
      role: invite.role,
      sent_at: invite.created_at,
      expires_at: invite.expires_at,
      accept_url: `${origin}/roster/v1/invites/${invite.id}/accept`,
    });
  }

  list(to?: string): SentEmail[] {
    return to === undefined ? [...this.#emails] : this.#emails.filter((email) => email.to === to.toLowerCase());
  }

  clear(): void {
    this.#emails = [];
  }
}
