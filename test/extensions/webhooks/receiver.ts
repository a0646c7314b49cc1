import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface Received {
  id: string;
  event: { id: string; type: string; [key: string]: unknown };
}

/**
 * A webhook receiver on a loopback port. It verifies every request's signature with the
 * `standardwebhooks` verifier (a bad one gets a 400 and counts as `rejected`), and can be made to
 * fail, to answer slowly, or to go away and come back on the same port.
 */
export class Receiver {
  /** Verified deliveries, in the order they arrived. */
  readonly received: Received[] = [];
  rejected = 0;
  /** Every request, verified or not, with what it was answered. */
  readonly requests: { id: string; status: number }[] = [];
  /** Answer with this status instead of 204 while set. */
  failWith: number | undefined;
  /** Wait this long before answering. */
  delayMs = 0;
  secret: string;
  private server: Server;
  port = 0;

  private constructor(secret: string) {
    this.secret = secret;
    this.server = this.newServer();
  }

  static async start(secret = 'whsec_' + Buffer.from('a test secret of 32 bytes length').toString('base64')): Promise<Receiver> {
    const receiver = new Receiver(secret);
    await receiver.up();
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks`;
  }

  /** Ids of the events received, duplicates included. */
  get eventIds(): string[] {
    return this.received.map((r) => r.event.id);
  }

  private newServer(): Server {
    return createServer(async (request, response) => {
      const body = await readBody(request);
      if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
      const id = String(request.headers['webhook-id']);
      let status = this.failWith ?? 204;
      if (status === 204) {
        try {
          const event = new Webhook(this.secret).verify(body, request.headers as Record<string, string>) as Received['event'];
          this.received.push({ id, event });
        } catch {
          this.rejected++;
          status = 400;
        }
      }
      this.requests.push({ id, status });
      if (!response.destroyed) response.writeHead(status).end();
    });
  }

  /** Starts listening (again, on the same port once it has one). */
  async up(): Promise<void> {
    this.server = this.newServer();
    await new Promise<void>((resolve) => this.server.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** Stops listening and drops every connection: senders get refused connections. */
  async down(): Promise<void> {
    const closed = new Promise((resolve) => this.server.close(resolve));
    this.server.closeAllConnections();
    await closed;
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => resolve(body));
    request.on('error', reject);
  });
}
