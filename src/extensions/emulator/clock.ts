import { invalidRequest } from '../../http/api-error.ts';
import { clockSetting, nowMillis, setClock } from '../../lib/time.ts';

export interface ClockView {
  object: 'emulator.clock';
  /** Unix seconds, as roster stamps them. */
  now: number;
  frozen: boolean;
  /** How far the clock stands from the system clock, in seconds (negative: behind). */
  offset_seconds: number;
}

/** Where the clock starts, and goes back to on reset: the system time, or an instant from the fixture. */
export interface ClockStart {
  atSeconds?: number;
  frozen: boolean;
}

/**
 * The emulator's controls for roster's one clock (src/lib/time.ts): every timestamp roster writes
 * and every expiry it checks (invites, admin keys) reads it. The clock is one per process, so two
 * emulators started in the same process share it.
 */
export class EmulatorClock {
  readonly #start: ClockStart;

  constructor(start: ClockStart) {
    this.#start = start;
  }

  read(): ClockView {
    const { offsetMs, frozenAtMs } = clockSetting();
    const now = nowMillis();
    return {
      object: 'emulator.clock',
      now: Math.floor(now / 1000),
      frozen: frozenAtMs !== undefined,
      offset_seconds: Math.round((frozenAtMs === undefined ? offsetMs : now - Date.now()) / 1000),
    };
  }

  /** Stops the clock at `atSeconds`, or where it stands. */
  freeze(atSeconds?: number): ClockView {
    setClock({ offsetMs: 0, frozenAtMs: atSeconds === undefined ? nowMillis() : atSeconds * 1000 });
    return this.read();
  }

  /** Lets a frozen clock run again, from where it stood. */
  resume(): ClockView {
    setClock({ offsetMs: nowMillis() - Date.now(), frozenAtMs: undefined });
    return this.read();
  }

  /** Puts the clock at `atSeconds`, frozen there or running on from it. */
  set(atSeconds: number, frozen = clockSetting().frozenAtMs !== undefined): ClockView {
    const atMs = atSeconds * 1000;
    setClock(frozen ? { offsetMs: 0, frozenAtMs: atMs } : { offsetMs: atMs - Date.now(), frozenAtMs: undefined });
    return this.read();
  }

  /** Moves the clock forward; it stays frozen or running as it was. */
  advance(seconds: number): ClockView {
    if (!(seconds >= 0)) throw invalidRequest('The clock only moves forward: give a number of seconds of at least 0.', 'seconds', 'invalid_value');
    const { offsetMs, frozenAtMs } = clockSetting();
    setClock({ offsetMs: offsetMs + seconds * 1000, frozenAtMs: frozenAtMs === undefined ? undefined : frozenAtMs + seconds * 1000 });
    return this.read();
  }

  /** Back to where it started: the system time, or the fixture's instant. */
  reset(): ClockView {
    if (this.#start.atSeconds === undefined) setClock({ offsetMs: 0, frozenAtMs: undefined });
    else this.set(this.#start.atSeconds, this.#start.frozen);
    return this.read();
  }
}
