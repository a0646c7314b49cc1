/**
 * The one clock roster reads. `roster serve` never moves it; the emulator does (see
 * src/extensions/emulator/clock.ts): it can run a fixed offset ahead of or behind the system clock,
 * or stand still at one instant. Reading it is an addition and a comparison, so the request path
 * pays nothing for the option.
 */
let offsetMs = 0;
let frozenAtMs: number | undefined;

/** Milliseconds since the Unix epoch, as roster sees them. */
export function nowMillis(): number {
  return frozenAtMs ?? Date.now() + offsetMs;
}

/** OpenAI objects carry Unix timestamps in whole seconds. */
export function nowSeconds(): number {
  return Math.floor(nowMillis() / 1000);
}

/** How the clock stands: running at an offset from the system clock, or frozen at one instant. */
export interface ClockSetting {
  offsetMs: number;
  frozenAtMs: number | undefined;
}

export function clockSetting(): ClockSetting {
  return { offsetMs, frozenAtMs };
}

/** Moves the clock; only the emulator calls this. */
export function setClock(setting: ClockSetting): void {
  offsetMs = setting.offsetMs;
  frozenAtMs = setting.frozenAtMs;
}

/**
 * When something asked to live `seconds` from now expires, or null for never. Rounded up to a
 * whole second, so it lives at least as long as asked even when made late in a second.
 */
export function expiryAfter(seconds: number | null | undefined): number | null {
  return seconds == null ? null : Math.ceil(nowMillis() / 1000 + seconds);
}
