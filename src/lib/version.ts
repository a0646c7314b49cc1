import { readFileSync } from 'node:fs';

/** roster's version, as package.json states it (shown by `roster --version` and `GET /`). */
export const VERSION: string = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;
