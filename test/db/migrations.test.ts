import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { migrateToLatest, type Store } from '../../src/db/connect.ts';
import { openTestStore } from '../support/store.ts';

interface SchemaShape {
  columns: string[];
  indexes: string[];
  foreignKeys: string[];
}

const POSTGRES_TYPE_NAMES: Record<string, string> = { int8: 'bigint', int4: 'integer' };
const isRosterTable = (name: string) => !name.startsWith('kysely_');

/** Tables, columns, indexes and foreign keys as comparable lines, the same way on both stores. */
async function shapeOf(store: Store): Promise<SchemaShape> {
  // On PostgreSQL, introspection sees every schema; only the store's own counts.
  const ownSchema = store.dialect === 'postgres' ? (await sql<{ name: string }>`select current_schema() as name`.execute(store.db)).rows[0]!.name : undefined;
  const tables = (await store.db.introspection.getTables()).filter((t) => isRosterTable(t.name) && t.schema === ownSchema);
  // PostgreSQL makes primary key columns NOT NULL by itself; SQLite, by an old quirk, does not
  // unless told (roster never writes a null id). Both are read here as not null.
  const primaryKeyColumns = new Set(
    store.dialect === 'sqlite'
      ? (
          await sql<{ column: string }>`
            select m.tbl_name || '.' || p.name as "column"
            from sqlite_master m join pragma_table_info(m.tbl_name) p
            where m.type = 'table' and p.pk > 0`.execute(store.db)
        ).rows.map((r) => r.column)
      : [],
  );
  const columns = tables.flatMap((t) =>
    t.columns.map((c) => {
      const type = c.dataType.toLowerCase();
      const nullable = c.isNullable && !primaryKeyColumns.has(`${t.name}.${c.name}`);
      return `${t.name}.${c.name} ${POSTGRES_TYPE_NAMES[type] ?? type}${nullable ? '' : ' not null'}${c.hasDefaultValue ? ' default' : ''}`;
    }),
  );
  type IndexRow = { table: string; columns: string; unique: unknown; partial: unknown };
  type ForeignKeyRow = { table: string; columns: string; target: string; target_columns: string; on_delete: string };
  let indexRows: IndexRow[];
  let foreignKeyRows: ForeignKeyRow[];
  if (store.dialect === 'sqlite') {
    indexRows = (
      await sql<IndexRow>`
        select m.tbl_name as "table", l."unique" as "unique", l.partial as partial,
          (select group_concat(name, ',') from (select i.name from pragma_index_info(l.name) i order by i.seqno)) as columns
        from sqlite_master m join pragma_index_list(m.tbl_name) l
        where m.type = 'table'`.execute(store.db)
    ).rows;
    foreignKeyRows = (
      await sql<ForeignKeyRow>`
        select m.tbl_name as "table", group_concat(f."from", ',') as columns, f."table" as target,
          group_concat(f."to", ',') as target_columns, lower(f.on_delete) as on_delete
        from sqlite_master m join pragma_foreign_key_list(m.tbl_name) f
        where m.type = 'table'
        group by m.tbl_name, f.id`.execute(store.db)
    ).rows;
  } else {
    indexRows = (
      await sql<IndexRow>`
        select t.relname as "table", x.indisunique as "unique", x.indpred is not null as partial,
          (select string_agg(a.attname, ',' order by k.n) from unnest(x.indkey) with ordinality k(attnum, n)
             join pg_attribute a on a.attrelid = t.oid and a.attnum = k.attnum) as columns
        from pg_index x join pg_class t on t.oid = x.indrelid join pg_namespace s on s.oid = t.relnamespace
        where s.nspname = current_schema()`.execute(store.db)
    ).rows;
    foreignKeyRows = (
      await sql<ForeignKeyRow>`
        select t.relname as "table", r.relname as target,
          (select string_agg(a.attname, ',' order by k.n) from unnest(c.conkey) with ordinality k(attnum, n)
             join pg_attribute a on a.attrelid = t.oid and a.attnum = k.attnum) as columns,
          (select string_agg(a.attname, ',' order by k.n) from unnest(c.confkey) with ordinality k(attnum, n)
             join pg_attribute a on a.attrelid = r.oid and a.attnum = k.attnum) as target_columns,
          case c.confdeltype when 'c' then 'cascade' when 'n' then 'set null' else 'no action' end as on_delete
        from pg_constraint c join pg_class t on t.oid = c.conrelid join pg_class r on r.oid = c.confrelid
          join pg_namespace s on s.oid = t.relnamespace
        where c.contype = 'f' and s.nspname = current_schema()`.execute(store.db)
    ).rows;
  }
  const indexes = indexRows
    .filter((i) => isRosterTable(i.table))
    .map((i) => `${i.table}(${i.columns})${i.unique ? ' unique' : ''}${i.partial ? ' partial' : ''}`);
  const foreignKeys = foreignKeyRows.map((f) => `${f.table}(${f.columns}) -> ${f.target}(${f.target_columns}) on delete ${f.on_delete}`);
  return { columns: columns.sort(), indexes: indexes.sort(), foreignKeys: foreignKeys.sort() };
}

test('the migrations build the same tables, columns, indexes and foreign keys on SQLite and PostgreSQL', async (t) => {
  const sqlite = await openTestStore('sqlite');
  t.after(() => sqlite.close());
  const postgres = await openTestStore('postgres');
  t.after(() => postgres.close());
  await migrateToLatest(sqlite.store);
  await migrateToLatest(postgres.store);
  const expected = await shapeOf(sqlite.store);
  assert.ok(expected.columns.length > 0 && expected.indexes.length > 0 && expected.foreignKeys.length > 0);
  assert.deepEqual(await shapeOf(postgres.store), expected);
});
