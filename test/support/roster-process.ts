import { spawn, type ChildProcess } from 'node:child_process';

/** A `roster serve` running as a real process, as in production. */
export interface RosterProcess {
  child: ChildProcess;
  output: () => string;
  origin: string;
}

/** Starts `roster serve` (or `roster ARGS`) on port 0 with `env` added, and waits for it to print where it listens. */
export async function startRosterProcess(env: Record<string, string>, args: string[] = ['serve']): Promise<RosterProcess> {
  const child = spawn(process.execPath, ['src/cli.ts', ...args], { env: { ...process.env, PORT: '0', ROSTER_LOG_LEVEL: 'warn', ...env } });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const origin = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`roster did not start:\n${output}`)), 30_000);
    child.stdout!.on('data', () => {
      const match = /serving the OpenAI Admin API at (http:\/\/[^\s]+)\/v1/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.on('exit', () => reject(new Error(`roster exited:\n${output}`)));
  });
  return { child, output: () => output, origin };
}

export function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** SIGTERM, then the exit code once it has stopped. */
export async function stopRosterProcess(running: RosterProcess): Promise<number | null> {
  if (running.child.exitCode !== null) return running.child.exitCode;
  const exit = exited(running.child);
  running.child.kill('SIGTERM');
  return exit;
}
