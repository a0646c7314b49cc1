import { route, routeTable } from '../../http/route-table.ts';
import {
  AdvanceClockBody,
  Cleared,
  ClockView,
  EmailsQuery,
  ExportedState,
  FaultDeleted,
  FaultIdParams,
  FaultList,
  FaultRule,
  FaultRuleInput,
  FreezeClockBody,
  JournalList,
  JournalQuery,
  ResetDone,
  SaveSnapshotBody,
  SentEmailList,
  SetClockBody,
  Snapshot,
  SnapshotDeleted,
  SnapshotList,
  SnapshotNameParams,
} from './schemas.ts';
import type { Emulator } from './service.ts';

const list = <T>(data: T[]) => ({ object: 'list' as const, data });
const cleared = { object: 'emulator.cleared' as const, cleared: true };

/** `/roster/v1/emulator/...`: the emulator's controls, behind its token (see plugin.ts). */
export function emulatorRoutes(emulator: Emulator) {
  return routeTable(
    ['Emulator'],
    [
      route.post(
        '/reset',
        { operationId: 'roster-emulator-reset', summary: 'Go back to the seeded state: data, clock, faults, journal and e-mails', response: ResetDone, optionalBody: true },
        () => emulator.reset(),
      ),
      route.get(
        '/state',
        { operationId: 'roster-emulator-export', summary: 'The whole state as one document that --seed accepts back', response: ExportedState },
        () => emulator.exportState(),
      ),

      route.get('/snapshots', { operationId: 'roster-emulator-list-snapshots', summary: 'List the saved snapshots', response: SnapshotList }, () =>
        list(emulator.snapshots.list()),
      ),
      route.post(
        '/snapshots',
        { operationId: 'roster-emulator-save-snapshot', summary: 'Save the current state under a name (replacing one of that name)', body: SaveSnapshotBody, response: Snapshot },
        ({ body }) => emulator.snapshots.save(body.name),
      ),
      route.post(
        '/snapshots/:name/restore',
        { operationId: 'roster-emulator-restore-snapshot', summary: 'Put a saved state back', params: SnapshotNameParams, response: Snapshot, optionalBody: true },
        ({ params }) => emulator.snapshots.restore(params.name),
      ),
      route.delete(
        '/snapshots/:name',
        { operationId: 'roster-emulator-delete-snapshot', summary: 'Forget a saved state', params: SnapshotNameParams, response: SnapshotDeleted },
        ({ params }) => emulator.snapshots.delete(params.name),
      ),

      route.get('/clock', { operationId: 'roster-emulator-read-clock', summary: 'Read the clock', response: ClockView }, () => emulator.clock.read()),
      route.post(
        '/clock',
        { operationId: 'roster-emulator-set-clock', summary: 'Put the clock at a time, frozen or running', body: SetClockBody, response: ClockView },
        ({ body }) => emulator.clock.set(body.now, body.frozen),
      ),
      route.post(
        '/clock/freeze',
        { operationId: 'roster-emulator-freeze-clock', summary: 'Stop the clock', body: FreezeClockBody, response: ClockView, optionalBody: true },
        ({ body }) => emulator.clock.freeze(body.at),
      ),
      route.post(
        '/clock/resume',
        { operationId: 'roster-emulator-resume-clock', summary: 'Let a frozen clock run again', response: ClockView, optionalBody: true },
        () => emulator.clock.resume(),
      ),
      route.post(
        '/clock/advance',
        { operationId: 'roster-emulator-advance-clock', summary: 'Move the clock forward', body: AdvanceClockBody, response: ClockView },
        ({ body }) => emulator.clock.advance(body.seconds),
      ),

      route.get('/faults', { operationId: 'roster-emulator-list-faults', summary: 'List the installed fault rules', response: FaultList }, () =>
        list(emulator.faults.list()),
      ),
      route.post(
        '/faults',
        { operationId: 'roster-emulator-add-fault', summary: 'Install a fault rule', body: FaultRuleInput, response: FaultRule },
        ({ body }) => emulator.faults.install(body),
      ),
      route.delete('/faults', { operationId: 'roster-emulator-clear-faults', summary: 'Remove every fault rule', response: Cleared }, () => {
        emulator.faults.clear();
        return cleared;
      }),
      route.delete(
        '/faults/:fault_id',
        { operationId: 'roster-emulator-delete-fault', summary: 'Remove one fault rule', params: FaultIdParams, response: FaultDeleted },
        ({ params }) => emulator.faults.remove(params.fault_id),
      ),

      route.get(
        '/requests',
        { operationId: 'roster-emulator-list-requests', summary: 'The requests roster answered, oldest first', querystring: JournalQuery, response: JournalList },
        ({ query }) => list(emulator.journal.list(query)),
      ),
      route.delete('/requests', { operationId: 'roster-emulator-clear-requests', summary: 'Empty the request journal', response: Cleared }, () => {
        emulator.journal.clear();
        return cleared;
      }),

      route.get(
        '/emails',
        { operationId: 'roster-emulator-list-emails', summary: 'The invite e-mails roster would have sent, with their acceptance links', querystring: EmailsQuery, response: SentEmailList },
        ({ query }) => list(emulator.emails.list(query.to)),
      ),
      route.delete('/emails', { operationId: 'roster-emulator-clear-emails', summary: 'Empty the list of sent e-mails', response: Cleared }, () => {
        emulator.emails.clear();
        return cleared;
      }),
    ],
  );
}
