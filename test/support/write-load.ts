import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';

/**
 * Concurrent writers against one roster, each write a new project (with its `project.created`
 * audit event) or a new invite (with `invite.sent`). Only acknowledged writes (a 200 that names
 * the object) are kept: those are what a client was told exists, so those must survive whatever
 * happens to the server afterwards.
 */
export interface Acknowledged {
  id: string;
  event: 'project.created' | 'invite.sent';
}

export interface WriteLoad {
  acknowledged: Acknowledged[];
  /** How many requests ended each way: an HTTP status, or `no answer` (the connection was cut). */
  outcomes: Map<string, number>;
  /** Answers that break the rules even during a fault: a 5xx other than 503, or an error outside the envelope. */
  problems: string[];
  stop(): Promise<void>;
}

export function startWriteLoad(origin: string, key: string, options: { writers: number; tag: string }): WriteLoad {
  const load: WriteLoad = { acknowledged: [], outcomes: new Map(), problems: [], stop: async () => {} };
  let running = true;
  let sequence = 0;
  const count = (outcome: string) => load.outcomes.set(outcome, (load.outcomes.get(outcome) ?? 0) + 1);
  const writer = async () => {
    while (running) {
      const n = sequence++;
      const project = n % 2 === 0;
      const path = project ? '/v1/organization/projects' : '/v1/organization/invites';
      const body = project ? { name: `${options.tag} project ${n}` } : { email: `${options.tag}-${n}@example.com`, role: 'reader' };
      try {
        const response = await fetch(`${origin}${path}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(20_000),
        });
        const text = await response.text();
        count(String(response.status));
        if (response.status === 200) {
          load.acknowledged.push({ id: JSON.parse(text).id, event: project ? 'project.created' : 'invite.sent' });
        } else if (response.status !== 503 || !text.includes('"error"')) {
          load.problems.push(`${response.status}: ${text.slice(0, 200)}`);
        }
      } catch {
        // The server died or the connection was cut mid-request: the write was never acknowledged.
        count('no answer');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  };
  const writers = Array.from({ length: options.writers }, writer);
  load.stop = async () => {
    running = false;
    await Promise.all(writers);
  };
  return load;
}

/** The acknowledged writes that the store does not hold, or holds without their audit event. */
export async function lostWrites(db: Kysely<Database>, acknowledged: Acknowledged[]): Promise<string[]> {
  const lost: string[] = [];
  const chunk = 500;
  for (let i = 0; i < acknowledged.length; i += chunk) {
    const part = acknowledged.slice(i, i + chunk);
    const ids = part.map((write) => write.id);
    const projects = new Set((await db.selectFrom('projects').select('id').where('id', 'in', ids).execute()).map((row) => row.id));
    const invites = new Set((await db.selectFrom('invites').select('id').where('id', 'in', ids).execute()).map((row) => row.id));
    const events = new Set(
      (await db.selectFrom('audit_logs').select(['resource_id', 'type']).where('resource_id', 'in', ids).execute()).map((row) => `${row.type} ${row.resource_id}`),
    );
    for (const write of part) {
      const stored = write.event === 'project.created' ? projects.has(write.id) : invites.has(write.id);
      if (!stored) lost.push(`${write.id} is missing`);
      else if (!events.has(`${write.event} ${write.id}`)) lost.push(`${write.id} has no ${write.event} event`);
    }
  }
  return lost;
}
