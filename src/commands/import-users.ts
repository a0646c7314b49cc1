import { createReadStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { SingleBar, Presets } from 'cli-progress';
import type { Kysely } from 'kysely';
import type { Database, Db } from '../db/schema.ts';
import { recordAuditEvent } from '../api/audit-logs/record.ts';
import type { Principal } from '../http/auth.ts';
import { newId } from '../lib/ids.ts';
import { nowSeconds } from '../lib/time.ts';

/**
 * `roster import FILE.jsonl`: adds people to an organization, one JSON object per line:
 * `{"email": "...", "name": "...", "role": "owner" | "reader"}`. The whole file is one
 * transaction: the first bad line stops the import, names its line number, and nothing is kept.
 * Each member added is recorded as a `user.added` audit event in that same transaction.
 */
export class ImportError extends Error {}

interface Line {
  number: number;
  email: string;
  name: string | null;
  role: 'owner' | 'reader';
}

const CHUNK = 1000;
const EMAIL = /^[^@\s]+@[^@\s]+$/;

function parseLine(text: string, number: number): Line {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ImportError(`line ${number}: not valid JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ImportError(`line ${number}: expected a JSON object`);
  const { email, name = null, role = 'reader', ...rest } = value as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) throw new ImportError(`line ${number}: unknown field '${unknown[0]}'`);
  if (typeof email !== 'string' || !EMAIL.test(email)) throw new ImportError(`line ${number}: 'email' must be an email address`);
  if (name !== null && typeof name !== 'string') throw new ImportError(`line ${number}: 'name' must be a string`);
  if (role !== 'owner' && role !== 'reader') throw new ImportError(`line ${number}: 'role' must be 'owner' or 'reader'`);
  return { number, email: email.toLowerCase(), name, role };
}

async function insertChunk(trx: Db, importer: Principal, lines: Line[], now: number): Promise<void> {
  const { organizationId } = importer;
  const seen = new Map<string, number>();
  for (const line of lines) {
    const earlier = seen.get(line.email);
    if (earlier !== undefined) throw new ImportError(`line ${line.number}: ${line.email} already appears on line ${earlier}`);
    seen.set(line.email, line.number);
  }
  // People already known to roster (from another organization, or earlier in this file) keep their id.
  const known = await trx
    .selectFrom('users')
    .leftJoin('organization_users as m', (j) => j.onRef('m.user_id', '=', 'users.id').on('m.organization_id', '=', organizationId))
    .select(['users.id', 'users.email', 'm.user_id as member'])
    .where('users.email', 'in', [...seen.keys()])
    .execute();
  const idByEmail = new Map<string, string>();
  for (const row of known) {
    if (row.member !== null) throw new ImportError(`line ${seen.get(row.email)}: ${row.email} is already a member of the organization`);
    idByEmail.set(row.email, row.id);
  }
  const newUsers = lines
    .filter((line) => !idByEmail.has(line.email))
    .map((line) => {
      const id = newId('user-');
      idByEmail.set(line.email, id);
      return { id, email: line.email, name: line.name, created_at: now };
    });
  if (newUsers.length > 0) await trx.insertInto('users').values(newUsers).execute();
  await trx
    .insertInto('organization_users')
    .values(lines.map((line) => ({ organization_id: organizationId, user_id: idByEmail.get(line.email)!, role: line.role, added_at: now })))
    .execute();
  for (const line of lines) {
    await recordAuditEvent(trx, importer, { type: 'user.added', resourceId: idByEmail.get(line.email)!, details: { data: { role: line.role } } });
  }
}

/** The key id that events recorded by `roster import` carry: no API key is involved. */
export const IMPORT_ACTOR_KEY_ID = 'roster-import';

/**
 * Who an import's audit events name. The command is run by whoever operates the server, not
 * through an API key; the events name the organization's first owner as the user (the operator's
 * stand-in since first start) and `roster-import` as the key.
 */
async function importerOf(db: Db, organizationId: string): Promise<Principal | undefined> {
  const owner = await db
    .selectFrom('organization_users as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['u.id', 'u.email'])
    .where('m.organization_id', '=', organizationId)
    .where('m.role', '=', 'owner')
    .orderBy('m.added_at')
    .orderBy('u.id')
    .limit(1)
    .executeTakeFirst();
  if (!owner) return undefined;
  return { organizationId, keyId: IMPORT_ACTOR_KEY_ID, userId: owner.id, userEmail: owner.email, ipAddress: '127.0.0.1', userAgent: 'roster import' };
}

export async function importUsers(
  db: Kysely<Database>,
  organizationId: string,
  file: string,
  options: { progress: boolean },
): Promise<number> {
  const organization = await db.selectFrom('organizations').select('id').where('id', '=', organizationId).executeTakeFirst();
  if (!organization) throw new ImportError(`no organization with id '${organizationId}'`);
  const importer = await importerOf(db, organizationId);
  if (!importer) throw new ImportError(`organization '${organizationId}' has no owner`);
  try {
    statSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ImportError(`cannot read '${file}': ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }

  const bar = options.progress ? new SingleBar({ format: 'importing [{bar}] {percentage}% | {value}/{total} bytes | {eta}s left' }, Presets.shades_classic) : undefined;
  const input = createReadStream(file);
  bar?.start(statSync(file).size, 0);
  const now = nowSeconds();
  let imported = 0;
  try {
    await db.transaction().execute(async (trx) => {
      let chunk: Line[] = [];
      let number = 0;
      for await (const text of createInterface({ input, crlfDelay: Infinity })) {
        number++;
        if (text.trim() === '') continue;
        chunk.push(parseLine(text, number));
        if (chunk.length === CHUNK) {
          await insertChunk(trx, importer, chunk, now);
          imported += chunk.length;
          chunk = [];
          bar?.update(input.bytesRead);
        }
      }
      if (chunk.length > 0) await insertChunk(trx, importer, chunk, now);
      imported += chunk.length;
    });
  } finally {
    input.destroy();
    bar?.update(input.bytesRead);
    bar?.stop();
  }
  return imported;
}
