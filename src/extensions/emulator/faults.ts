import type { FastifyRequest } from 'fastify';
import { ApiError, invalidRequest, notFound } from '../../http/api-error.ts';
import { SeededRandom } from '../../lib/seeded-random.ts';
import { nowMillis } from '../../lib/time.ts';
import type { FaultRuleInput } from './schemas.ts';

/** An installed rule, as listed: what it matches, what it does, and how often it has fired. */
export interface FaultRule extends FaultRuleInput {
  object: 'emulator.fault';
  id: string;
  /** Requests that matched, whether the rule fired on them or not. */
  matched: number;
  fired: number;
  /** How many more times it fires (`times` rules), or null for no limit. */
  remaining: number | null;
}

/** What the emulator does to one request: wait, then answer with an error or drop the connection. */
export interface FaultAction {
  rule: string;
  latencyMs: number;
  drop: boolean;
  error: ApiError | undefined;
  retryAfterSeconds: number | undefined;
}

/**
 * The real API's envelope for each status a rule may answer with when the rule gives none
 * (BEHAVIOR.md §2.2; statuses it has no capture for get the platform's usual wording).
 */
function defaultError(status: number, request: FastifyRequest, retryAfterSeconds: number | undefined): ApiError {
  switch (status) {
    case 401:
      return new ApiError(401, 'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.', { code: 'invalid_api_key' });
    case 403:
      return new ApiError(403, 'You have insufficient permissions for this operation. Missing scopes: api.management.read.');
    case 404:
      return new ApiError(404, `Invalid URL (${request.method} ${request.url.split('?')[0]})`);
    case 429:
      return new ApiError(429, `You've exceeded the rate limit, please slow down and try again after ${retryAfterSeconds ?? 1} seconds.`, { code: 'rate_limit_exceeded' });
  }
  if (status >= 500) return new ApiError(status, 'The server had an error while processing your request. Sorry about that!', { type: 'server_error' });
  return new ApiError(status, 'The request could not be processed.');
}

function describesRoute(rule: FaultRuleInput, request: FastifyRequest): boolean {
  if (rule.method !== undefined && rule.method.toUpperCase() !== request.method) return false;
  if (rule.operation_id !== undefined && rule.operation_id !== request.routeOptions.schema?.operationId) return false;
  if (rule.path === undefined) return true;
  if (rule.path === request.routeOptions.url) return true;
  const path = request.url.split('?')[0]!;
  return rule.path.endsWith('*') ? path.startsWith(rule.path.slice(0, -1)) : rule.path === path;
}

/** Installed fault rules, matched in the order they were installed; the first that fires wins. */
export class Faults {
  readonly #rules: { rule: FaultRule; random: SeededRandom }[] = [];
  #nextId = 1;

  get empty(): boolean {
    return this.#rules.length === 0;
  }

  install(input: FaultRuleInput): FaultRule {
    if (input.operation_id === undefined && input.path === undefined) {
      throw invalidRequest('A fault rule needs operation_id or path (with an optional method) to match requests.', 'operation_id', 'invalid_value');
    }
    if (input.status === undefined && input.latency_ms === undefined && !input.drop_connection) {
      throw invalidRequest('A fault rule needs something to do: status, latency_ms or drop_connection.', 'status', 'invalid_value');
    }
    if (input.retry_after_seconds !== undefined && input.status !== 429) {
      throw invalidRequest('retry_after_seconds goes with status 429.', 'retry_after_seconds', 'invalid_value');
    }
    const retryAfter = input.status === 429 ? (input.retry_after_seconds ?? 1) : undefined;
    const rule: FaultRule = {
      object: 'emulator.fault',
      id: `fault_${this.#nextId++}`,
      ...input,
      ...(retryAfter === undefined ? {} : { retry_after_seconds: retryAfter }),
      matched: 0,
      fired: 0,
      remaining: input.times ?? null,
    };
    this.#rules.push({ rule, random: new SeededRandom(input.seed ?? 1) });
    return rule;
  }

  list(): FaultRule[] {
    return this.#rules.map(({ rule }) => ({ ...rule }));
  }

  remove(id: string): { object: 'emulator.fault.deleted'; id: string; deleted: true } {
    const index = this.#rules.findIndex(({ rule }) => rule.id === id);
    if (index < 0) throw notFound('fault rule', id, 'fault_id');
    this.#rules.splice(index, 1);
    return { object: 'emulator.fault.deleted', id, deleted: true };
  }

  clear(): void {
    this.#rules.length = 0;
  }

  /** What to do to this request, if a rule fires on it. */
  actionFor(request: FastifyRequest): FaultAction | undefined {
    for (const { rule, random } of this.#rules) {
      if (rule.remaining === 0 || !describesRoute(rule, request)) continue;
      rule.matched++;
      if (rule.probability !== undefined && random.next() >= rule.probability) continue;
      rule.fired++;
      if (rule.remaining !== null) rule.remaining--;
      const retryAfterSeconds = rule.retry_after_seconds;
      const error =
        rule.status === undefined
          ? undefined
          : rule.error
            ? new ApiError(rule.status, rule.error.message, { type: rule.error.type, code: rule.error.code ?? null, param: rule.error.param ?? null })
            : defaultError(rule.status, request, retryAfterSeconds);
      return { rule: rule.id, latencyMs: rule.latency_ms ?? 0, drop: Boolean(rule.drop_connection), error, retryAfterSeconds };
    }
    return undefined;
  }
}

/**
 * `--rate-limits openai`: the real admin API's observed limit (BEHAVIOR.md §2.3), about seven
 * requests a minute per endpoint and key, refilled a minute after the first. The minute follows the
 * emulator clock, so a test can advance it instead of waiting. Unlike the real API, the 429 says
 * when to retry (`retry-after`), which is what back-off code is written against.
 */
export class OpenAiRateLimits {
  static readonly REQUESTS = 7;
  static readonly WINDOW_MS = 60_000;
  readonly #windows = new Map<string, { startedMs: number; used: number }>();

  /** Seconds to wait before this request may be served, or 0 when it may be served now. */
  take(request: FastifyRequest): number {
    const endpoint = `${request.method} ${request.routeOptions.url ?? request.url.split('?')[0]} ${request.headers.authorization ?? ''}`;
    const now = nowMillis();
    let window = this.#windows.get(endpoint);
    if (window === undefined || now - window.startedMs >= OpenAiRateLimits.WINDOW_MS) {
      window = { startedMs: now, used: 0 };
      this.#windows.set(endpoint, window);
    }
    if (window.used < OpenAiRateLimits.REQUESTS) {
      window.used++;
      return 0;
    }
    return Math.max(1, Math.ceil((window.startedMs + OpenAiRateLimits.WINDOW_MS - now) / 1000));
  }

  clear(): void {
    this.#windows.clear();
  }

  static exceeded(request: FastifyRequest, retryAfterSeconds: number): ApiError {
    return defaultError(429, request, retryAfterSeconds);
  }
}
