import { readFileSync } from 'node:fs';

/**
 * `node bench/profile-top.ts FILE.cpuprofile [N]`: where a V8 CPU profile (from `node --cpu-prof`,
 * e.g. `BENCH_CPU_PROF=dir npm run bench`) spent its time: the top N functions by self time, and
 * self time summed by package or source folder.
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function place(url: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:')) return url;
  const own = /\/(src\/.+|bench\/.+)$/.exec(url);
  return own ? own[1]! : url || '(native)';
}

function main(file: string, count: number): void {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  // Self time of each node: the time deltas of the samples that landed on it.
  const selfMicros = new Map<number, number>();
  profile.samples.forEach((id, i) => selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

  const byFunction = new Map<string, number>();
  const byPlace = new Map<string, number>();
  let idle = 0;
  for (const [id, micros] of selfMicros) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)') {
      idle += micros;
      continue;
    }
    const where = place(url);
    const key = `${functionName || '(anonymous)'}  ${where}${url ? `:${lineNumber + 1}` : ''}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + micros);
    byPlace.set(where, (byPlace.get(where) ?? 0) + micros);
  }
  const busy = [...byPlace.values()].reduce((a, b) => a + b, 0);
  const lines = [`${file}: ${(busy / 1e6).toFixed(1)} s busy, ${(idle / 1e6).toFixed(1)} s idle; shares are of the busy time`];
  const table = (title: string, entries: Map<string, number>) => {
    lines.push('', title);
    for (const [name, micros] of [...entries].sort((a, b) => b[1] - a[1]).slice(0, count)) {
      lines.push(`${((100 * micros) / busy).toFixed(1).padStart(5)} %  ${(micros / 1000).toFixed(0).padStart(6)} ms  ${name}`);
    }
  };
  table('self time by function', byFunction);
  table('self time by package or source file', byPlace);
  process.stdout.write(lines.join('\n') + '\n');
}

main(process.argv[2]!, Number(process.argv[3] ?? 30));
