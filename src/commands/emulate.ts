import { writeFileSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import { FixtureError, readSeedFile } from '../extensions/emulator/fixtures.ts';
import { CONTROL_PREFIX } from '../extensions/emulator/plugin.ts';
import { DEFAULT_EMULATOR_TOKEN, startEmulator, type RunningEmulator } from '../extensions/emulator/service.ts';

interface EmulateOptions {
  db?: string;
  seed?: string;
  idSeed?: number;
  rateLimits?: 'openai';
  token: string;
  operatorKey?: string;
  host: string;
  port: number;
}

function integer(value: string): number {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed)) throw new InvalidArgumentError('expected an integer');
  return parsed;
}

/** `roster emulate` and `roster emulator <control>`: roster as a test double, and its controls from a shell. */
export function registerEmulatorCommands(program: Command): void {
  program
    .command('emulate')
    .description('serve roster as a test double: seeded state in memory, and controls to reset it, move its clock and inject faults')
    .option('--db <file>', 'keep the state in this SQLite file (default: memory only)')
    .option('--seed <file>', 'YAML or JSON fixture (or an exported state) to start from')
    .option('--id-seed <n>', 'make generated ids the same in every run', integer)
    .option('--rate-limits <profile>', "'openai': the real admin API's observed per-endpoint limits", (value) => {
      if (value !== 'openai') throw new InvalidArgumentError("the only profile is 'openai'");
      return value;
    })
    .option('--token <token>', 'bearer token of the emulator controls', process.env.ROSTER_EMULATOR_TOKEN || DEFAULT_EMULATOR_TOKEN)
    .option('--operator-key <key>', 'the operator key: manages organizations, and opens the controls too', process.env.ROSTER_OPERATOR_KEY || undefined)
    .option('--host <host>', 'address to listen on', process.env.HOST || '127.0.0.1')
    .option('--port <port>', 'port to listen on', integer, Number(process.env.PORT || 8080))
    .action((options: EmulateOptions) => emulate(options));

  const controls = program
    .command('emulator')
    .description('control a running `roster emulate` (reset, snapshots, export, clock)')
    .option('--url <url>', 'where the emulator listens', process.env.ROSTER_EMULATOR_URL || 'http://127.0.0.1:8080')
    .option('--token <token>', 'the emulator token', process.env.ROSTER_EMULATOR_TOKEN || DEFAULT_EMULATOR_TOKEN);
  const call = (method: string, path: string, body?: object, outputFile?: string) => control(controls.opts(), method, path, body, outputFile);

  controls.command('reset').description('back to the seeded state').action(() => call('POST', '/reset'));
  controls
    .command('export')
    .description('print the whole state as JSON (or write it to a file), for --seed')
    .argument('[file]')
    .action((file?: string) => call('GET', '/state', undefined, file));
  const snapshot = controls.command('snapshot').description('save, list, restore and delete named snapshots');
  snapshot.command('save').argument('<name>').action((name: string) => call('POST', '/snapshots', { name }));
  snapshot.command('list').action(() => call('GET', '/snapshots'));
  snapshot.command('restore').argument('<name>').action((name: string) => call('POST', `/snapshots/${encodeURIComponent(name)}/restore`));
  snapshot.command('delete').argument('<name>').action((name: string) => call('DELETE', `/snapshots/${encodeURIComponent(name)}`));
  const clock = controls.command('clock').description('read or move the clock').action(() => call('GET', '/clock'));
  clock.command('advance').argument('<seconds>', 'how far forward', Number).action((seconds: number) => call('POST', '/clock/advance', { seconds }));
  clock.command('set').argument('<unix-seconds>', 'the new time', integer).action((now: number) => call('POST', '/clock', { now }));
  clock.command('freeze').action(() => call('POST', '/clock/freeze'));
  clock.command('resume').action(() => call('POST', '/clock/resume'));
}

async function emulate(options: EmulateOptions): Promise<void> {
  let running: RunningEmulator;
  try {
    const seed = options.seed === undefined ? undefined : readSeedFile(options.seed);
    running = await startEmulator({ ...options, dbFile: options.db, seed, logger: { level: process.env.ROSTER_LOG_LEVEL || 'warn' } });
  } catch (error) {
    if (!(error instanceof FixtureError)) throw error;
    process.stderr.write(`roster emulate: the seed was refused, nothing is running: ${error.message}\n`);
    process.exitCode = 1;
    return;
  }
  const stop = () => running.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);

  const { emulator, origin } = running;
  const lines = [
    '',
    `roster emulator is serving the OpenAI Admin API at ${origin}/v1 (${options.db ? `state in ${options.db}` : 'state in memory'})`,
    '',
    'Admin keys:',
    ...(emulator.keys.length > 0
      ? emulator.keys.map((key) => `  ${key.value}   ${key.organization_name} (${key.organization_id}), "${key.name}"`)
      : ['  (none declared by the seed)']),
    ...(emulator.projectKeys.length > 0
      ? [
          '',
          'Project keys:',
          ...emulator.projectKeys.map(
            (key) => `  ${key.value}   ${key.project_name} (${key.project_id}), ${key.owner.type === 'user' ? key.owner.email : `service account "${key.owner.name}"`}`,
          ),
        ]
      : []),
    '',
    `Emulator token (controls under ${origin}${CONTROL_PREFIX}/): ${emulator.token}`,
    `  curl -X POST ${origin}${CONTROL_PREFIX}/reset -H "Authorization: Bearer ${emulator.token}"`,
    ...(options.operatorKey ? ['The operator key given opens the controls too.'] : []),
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

async function control(options: { url: string; token: string }, method: string, path: string, body?: object, outputFile?: string): Promise<void> {
  const url = `${options.url.replace(/\/$/, '')}${CONTROL_PREFIX}${path}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: { authorization: `Bearer ${options.token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
  } catch (error) {
    process.stderr.write(`no emulator answered at ${options.url}: ${((error as Error).cause as Error | undefined)?.message ?? (error as Error).message}\n`);
    process.exitCode = 1;
    return;
  }
  const text = await response.text();
  if (outputFile && response.ok) writeFileSync(outputFile, text);
  else process.stdout.write(`${text}\n`);
  if (!response.ok) process.exitCode = 1;
}
