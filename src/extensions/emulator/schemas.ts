import { Type, type Static } from 'typebox';
import { Nullable } from '../../http/schema-types.ts';

/** Request and answer shapes of the emulator's controls under `/roster/v1/emulator/`. */

const strict = { additionalProperties: false } as const;

export const ClockView = Type.Object({
  object: Type.Literal('emulator.clock'),
  now: Type.Integer({ description: 'The time roster stamps and checks expiries against (Unix seconds).' }),
  frozen: Type.Boolean(),
  offset_seconds: Type.Integer({ description: 'How far the clock stands from the system clock.' }),
});

export const FreezeClockBody = Type.Object(
  { at: Type.Optional(Type.Integer({ minimum: 0, description: 'Where to stop the clock (Unix seconds); default: where it stands.' })) },
  strict,
);
export const SetClockBody = Type.Object(
  {
    now: Type.Integer({ minimum: 0, description: 'The new time (Unix seconds).' }),
    frozen: Type.Optional(Type.Boolean({ description: 'Stop the clock there (default: keep it as it is, frozen or running).' })),
  },
  strict,
);
export const AdvanceClockBody = Type.Object({ seconds: Type.Number({ minimum: 0, description: 'How far to move the clock forward.' }) }, strict);

export const SnapshotNameParams = Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }) });
export const SaveSnapshotBody = Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }) }, strict);
export const Snapshot = Type.Object({
  object: Type.Literal('emulator.snapshot'),
  name: Type.String(),
  created_at: Type.Integer(),
  bytes: Type.Integer({ description: 'Size of the saved state.' }),
});
export const SnapshotList = Type.Object({ object: Type.Literal('list'), data: Type.Array(Snapshot) });
export const SnapshotDeleted = Type.Object({ object: Type.Literal('emulator.snapshot.deleted'), name: Type.String(), deleted: Type.Boolean() });

export const FaultRuleInput = Type.Object(
  {
    operation_id: Type.Optional(Type.String({ description: "Match the operation with this id (e.g. 'retrieve-user')." })),
    method: Type.Optional(Type.String({ description: 'Match this HTTP method only.' })),
    path: Type.Optional(
      Type.String({ description: "Match this path: exact ('/v1/organization/users/user-abc'), a route ('/v1/organization/users/:user_id') or a prefix ending in '*'." }),
    ),
    status: Type.Optional(Type.Integer({ minimum: 400, maximum: 599, description: 'Answer with this status and an error envelope.' })),
    error: Type.Optional(
      Type.Object(
        {
          message: Type.String(),
          type: Type.String(),
          code: Type.Optional(Nullable(Type.String())),
          param: Type.Optional(Nullable(Type.String())),
        },
        { ...strict, description: "The envelope's error object; default: the real API's for that status." },
      ),
    ),
    retry_after_seconds: Type.Optional(Type.Integer({ minimum: 0, description: 'With status 429: the retry-after header (default 1).' })),
    latency_ms: Type.Optional(Type.Integer({ minimum: 0, maximum: 120_000, description: 'Wait this long before answering.' })),
    drop_connection: Type.Optional(Type.Boolean({ description: 'Close the connection without answering.' })),
    times: Type.Optional(Type.Integer({ minimum: 1, description: 'Fire on the next N matching requests only (default: always).' })),
    probability: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'Fire on this share of matching requests.' })),
    seed: Type.Optional(Type.Integer({ description: 'Seed of the draws for probability, so runs repeat (default 1).' })),
  },
  strict,
);
export type FaultRuleInput = Static<typeof FaultRuleInput>;

export const FaultRule = Type.Intersect([
  FaultRuleInput,
  Type.Object({
    object: Type.Literal('emulator.fault'),
    id: Type.String(),
    matched: Type.Integer(),
    fired: Type.Integer(),
    remaining: Nullable(Type.Integer()),
  }),
]);
export const FaultList = Type.Object({ object: Type.Literal('list'), data: Type.Array(FaultRule) });
export const FaultIdParams = Type.Object({ fault_id: Type.String() });
export const FaultDeleted = Type.Object({ object: Type.Literal('emulator.fault.deleted'), id: Type.String(), deleted: Type.Boolean() });

export const JournalQuery = Type.Object({
  method: Type.Optional(Type.String()),
  path: Type.Optional(Type.String()),
  operation_id: Type.Optional(Type.String()),
  status: Type.Optional(Type.Integer()),
});
export type JournalQuery = Static<typeof JournalQuery>;
export const JournalEntry = Type.Object({
  object: Type.Literal('emulator.request'),
  method: Type.String(),
  path: Type.String(),
  query: Type.Unknown(),
  body: Type.Unknown(),
  status: Nullable(Type.Integer()),
  operation_id: Nullable(Type.String()),
  time: Type.Integer(),
  fault: Nullable(Type.String()),
});
export const JournalList = Type.Object({ object: Type.Literal('list'), data: Type.Array(JournalEntry) });

export const EmailsQuery = Type.Object({ to: Type.Optional(Type.String()) });
export const SentEmail = Type.Object({
  object: Type.Literal('emulator.email'),
  to: Type.String(),
  invite_id: Type.String(),
  role: Type.String(),
  sent_at: Type.Integer(),
  expires_at: Nullable(Type.Integer()),
  accept_url: Type.String(),
});
export const SentEmailList = Type.Object({ object: Type.Literal('list'), data: Type.Array(SentEmail) });

export const Cleared = Type.Object({ object: Type.Literal('emulator.cleared'), cleared: Type.Boolean() });
export const ResetDone = Type.Object({ object: Type.Literal('emulator.reset'), reset: Type.Boolean(), clock: ClockView });

/** The exported state (see fixture-schema.ts StateExport), loose here: its tables are whatever the store has. */
export const ExportedState = Type.Object({
  roster_export: Type.Literal(1),
  clock: Type.Object({ now: Type.Integer(), frozen: Type.Boolean() }),
  tables: Type.Record(Type.String(), Type.Array(Type.Record(Type.String(), Type.Unknown()))),
});
