/**
 * The console's only way to the server: roster's OpenAI-compatible API under /v1, called with the
 * admin key the user pasted. The key lives in sessionStorage, so it is gone when the tab closes.
 */

const KEY_STORAGE = 'roster.adminKey';

export function storedKey(): string | null {
  return sessionStorage.getItem(KEY_STORAGE);
}

export function storeKey(key: string | null): void {
  if (key === null) sessionStorage.removeItem(KEY_STORAGE);
  else sessionStorage.setItem(KEY_STORAGE, key);
}

/** An error answer from the API, or no answer at all, worded for a person. */
export class ApiProblem extends Error {
  readonly status: number;
  readonly code: string | null;
  readonly param: string | null;

  constructor(status: number, message: string, code: string | null = null, param: string | null = null) {
    super(message);
    this.status = status;
    this.code = code;
    this.param = param;
  }

  /** A 404 from the router, not from a resource: this server has no such endpoint. */
  get endpointMissing(): boolean {
    return this.status === 404 && this.message.startsWith('Invalid URL');
  }
}

export type QueryValue = string | number | boolean | undefined | string[] | Record<string, number | undefined>;

/** Encodes arrays as `name[]=a` and objects as `name[key]=v`, as the official SDKs do. */
export function queryString(query: Record<string, QueryValue>): string {
  const parts: string[] = [];
  const add = (name: string, value: string | number | boolean) => parts.push(`${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`);
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === '') continue;
    if (Array.isArray(value)) value.forEach((item) => add(`${name}[]`, item));
    else if (typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) if (inner !== undefined) add(`${name}[${key}]`, inner);
    } else add(name, value);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

/** Called when the server no longer accepts the key, so the shell can return to sign-in. */
let onKeyRejected: (message: string) => void = () => {};
export function whenKeyRejected(handler: (message: string) => void): void {
  onKeyRejected = handler;
}

interface CallOptions {
  query?: Record<string, QueryValue>;
  body?: unknown;
  /** The key to try, before it is stored (sign-in). */
  key?: string;
}

export async function api<T>(method: 'GET' | 'POST' | 'DELETE', path: string, options: CallOptions = {}): Promise<T> {
  const key = options.key ?? storedKey() ?? '';
  const headers: Record<string, string> = { authorization: `Bearer ${key}` };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(`/v1${path}${queryString(options.query ?? {})}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch {
    throw new ApiProblem(0, 'roster did not answer. Check that the server is running, then try again.');
  }
  const text = await response.text();
  let payload: any = null;
  try {
    payload = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON (a proxy's error page, say): described below by status alone.
  }
  if (response.ok) return payload as T;
  const error = payload?.error;
  const problem = new ApiProblem(
    response.status,
    typeof error?.message === 'string' ? error.message : `roster answered ${response.status} ${response.statusText}.`,
    error?.code ?? null,
    error?.param ?? null,
  );
  if (response.status === 401 && options.key === undefined) onKeyRejected(problem.message);
  throw problem;
}

/** Both list envelopes: classic (`last_id`) and RBAC-style (`next`). */
export interface ListPage<T> {
  data: T[];
  has_more: boolean;
  last_id?: string | null;
  next?: string | null;
}

export function nextCursor(page: ListPage<unknown>): string | undefined {
  if (!page.has_more) return undefined;
  return page.next ?? page.last_id ?? undefined;
}

/** Every page of a small list (roles of a catalogue, groups): stops after `maxPages` pages. */
export async function listAll<T>(path: string, query: Record<string, QueryValue> = {}, maxPages = 20): Promise<T[]> {
  const items: T[] = [];
  let after: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const result = await api<ListPage<T>>('GET', path, { query: { ...query, limit: 100, after } });
    items.push(...result.data);
    after = nextCursor(result);
    if (after === undefined) break;
  }
  return items;
}

export interface Member {
  id: string;
  name: string | null;
  email: string | null;
  role: string | null;
  added_at: number;
}

export interface Project {
  id: string;
  name: string;
  created_at: number;
  archived_at: number | null;
  status: string;
}

export interface Role {
  id: string;
  name: string;
  description: string | null;
  permissions: string[];
  resource_type: string;
  predefined_role: boolean;
}

export interface AdminKey {
  id: string;
  name: string | null;
  redacted_value: string;
  created_at: number;
  expires_at: number | null;
  last_used_at: number | null;
  owner: { id: string; name?: string; role: string };
  value?: string;
}
