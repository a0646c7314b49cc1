import { startRoster } from './src/extensions/emulator/testing.ts';
const roster = await startRoster({ idSeed: 7 });
const mode = process.argv[2];
if (mode !== 'none') await roster.reset();
console.error('reset done');
const st = await roster.exportState();
console.error('export done');
await roster.close();
