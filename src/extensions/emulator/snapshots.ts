import { backup, DatabaseSync } from 'node:sqlite';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Store } from '../../db/connect.ts';
import { exclusiveWriter } from '../../db/sqlite.ts';
import { forgetCachedKeys } from '../../http/key-cache.ts';
import { currentIdSequence, useIdSequence, type IdSequence } from '../../lib/ids.ts';
import { notFound } from '../../http/api-error.ts';
import { nowSeconds } from '../../lib/time.ts';

/**
 * The emulator's state at one moment: the whole SQLite database as SQLite's own serialized image
 * (a copy of its pages, taken and put back in milliseconds even for 100,000 members), and where
 * the seeded id sequence stood, so ids made after a restore never collide with restored rows.
 */
export interface StateImage {
  database: Uint8Array;
  ids: IdSequence | undefined;
}

/** Takes and puts back whole-store images; only the embedded store (in memory or a file) has them. */
export class StateImages {
  readonly #db: Kysely<Database>;
  readonly #file: string | undefined;
  readonly #exclusive: NonNullable<ReturnType<typeof exclusiveWriter>>;

  constructor(store: Store, file: string | undefined) {
    const exclusive = exclusiveWriter(store.db);
    if (!exclusive) throw new Error('the emulator runs on the embedded SQLite store only');
    this.#db = store.db;
    this.#file = file;
    this.#exclusive = exclusive;
  }

  capture(): Promise<StateImage> {
    return this.#exclusive((writer) => {
      const database = writer.database.serialize();
      // Bytes 18 and 19 say "write-ahead log"; an image that says so cannot be opened in memory.
      database[18] = 1;
      database[19] = 1;
      return { database, ids: currentIdSequence() };
    });
  }

  async restore(image: StateImage): Promise<void> {
    await this.#exclusive(async (writer) => {
      // Deserializing copies the image, so the same image can be restored again and again.
      if (this.#file === undefined) {
        writer.replaceContents(image.database);
      } else {
        // A file store stays a file store: the image is copied into it page by page.
        const source = new DatabaseSync(':memory:');
        source.deserialize(image.database);
        try {
          await backup(source, this.#file);
        } finally {
          source.close();
        }
      }
    });
    useIdSequence(image.ids);
    // Keys may have come or gone: nothing cached may outlive the state it was read from.
    forgetCachedKeys(this.#db);
  }
}

export interface SnapshotSummary {
  object: 'emulator.snapshot';
  name: string;
  created_at: number;
  bytes: number;
}

/** Named snapshots, kept in the emulator's memory (they do not survive a restart). */
export class Snapshots {
  readonly #images: StateImages;
  readonly #saved = new Map<string, { image: StateImage; createdAt: number }>();

  constructor(images: StateImages) {
    this.#images = images;
  }

  async save(name: string): Promise<SnapshotSummary> {
    const entry = { image: await this.#images.capture(), createdAt: nowSeconds() };
    this.#saved.set(name, entry);
    return summary(name, entry);
  }

  list(): SnapshotSummary[] {
    return [...this.#saved].map(([name, entry]) => summary(name, entry));
  }

  async restore(name: string): Promise<SnapshotSummary> {
    const entry = this.#saved.get(name);
    if (!entry) throw notFound('snapshot', name, 'name');
    await this.#images.restore(entry.image);
    return summary(name, entry);
  }

  delete(name: string): { object: 'emulator.snapshot.deleted'; name: string; deleted: true } {
    if (!this.#saved.delete(name)) throw notFound('snapshot', name, 'name');
    return { object: 'emulator.snapshot.deleted', name, deleted: true };
  }
}

function summary(name: string, entry: { image: StateImage; createdAt: number }): SnapshotSummary {
  return { object: 'emulator.snapshot', name, created_at: entry.createdAt, bytes: entry.image.database.byteLength };
}
