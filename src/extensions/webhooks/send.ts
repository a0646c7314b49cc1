import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { hostOf, refusal, type TargetPolicy } from './targets.ts';

export interface AttemptResult {
  succeeded: boolean;
  statusCode: number | null;
  error: string | null;
  latencyMs: number;
}

export interface Message {
  /** The delivery id: the `webhook-id` header, the same on every attempt so receivers can drop repeats. */
  id: string;
  url: string;
  secret: string;
  body: string;
}

/**
 * Sends deliveries as Standard Webhooks: a JSON POST with `webhook-id`, `webhook-timestamp` and
 * `webhook-signature`, signed by the `standardwebhooks` library. Any 2xx answer is a success;
 * any other answer, a connection error or no full answer within `timeoutMs` is a failure.
 * Connections are kept alive between deliveries, and every one goes through the target policy's
 * DNS check (literal addresses are checked here, since sockets do not look them up).
 */
export class Sender {
  private readonly agents: { 'http:': http.Agent; 'https:': https.Agent };
  private readonly policy: TargetPolicy;
  private readonly timeoutMs: number;

  constructor(policy: TargetPolicy, timeoutMs: number) {
    this.policy = policy;
    this.timeoutMs = timeoutMs;
    const options = { keepAlive: true, lookup: policy.lookup };
    this.agents = { 'http:': new http.Agent(options), 'https:': new https.Agent(options) };
  }

  async send(message: Message): Promise<AttemptResult> {
    const started = performance.now();
    const finish = (statusCode: number | null, error: string | null): AttemptResult => ({
      succeeded: statusCode !== null && statusCode >= 200 && statusCode < 300,
      statusCode,
      error: error ?? (statusCode !== null && (statusCode < 200 || statusCode >= 300) ? `the receiver answered ${statusCode}` : null),
      latencyMs: Math.round(performance.now() - started),
    });
    try {
      const url = new URL(message.url);
      const host = hostOf(url);
      if (isIP(host) && !this.policy.allows(host)) throw refusal(host, host);
      const now = new Date();
      const headers = {
        'content-type': 'application/json',
        'user-agent': 'roster-webhooks',
        'webhook-id': message.id,
        'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
        'webhook-signature': new Webhook(message.secret).sign(message.id, now, message.body),
      };
      const statusCode = await this.post(url, headers, message.body);
      return finish(statusCode, null);
    } catch (error) {
      return finish(null, describe(error));
    }
  }

  private post(url: URL, headers: Record<string, string>, body: string): Promise<number> {
    const transport = url.protocol === 'https:' ? https : http;
    const agent = this.agents[url.protocol as 'http:' | 'https:'];
    if (!agent) return Promise.reject(new Error(`unsupported protocol ${url.protocol}`));
    return new Promise((resolve, reject) => {
      const request = transport.request(url, { method: 'POST', headers, agent, signal: AbortSignal.timeout(this.timeoutMs) }, (response) => {
        // The answer's body is not used; it is read to the end so the connection can be reused.
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      });
      request.on('error', reject);
      request.end(body);
    });
  }

  close(): void {
    this.agents['http:'].destroy();
    this.agents['https:'].destroy();
  }
}

function describe(error: unknown): string {
  if (error instanceof Error && error.name === 'AbortError') return 'no answer within the timeout';
  if (error instanceof Error && error.name === 'TimeoutError') return 'no answer within the timeout';
  return error instanceof Error ? error.message : String(error);
}
