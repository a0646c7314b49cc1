import { randomBytes } from 'node:crypto';
import { SeededRandom } from './seeded-random.ts';

/**
 * Identifiers look like OpenAI's (`user-4e88SmmkWl80jnhGaAMau4Uk`): a prefix and 24 base62
 * characters. The first 8 encode the creation time in milliseconds and the other 16 are random
 * (95 bits), so ids are unguessable and sort by creation, which is what keyset pagination needs.
 * Within one millisecond the random part is incremented, keeping ids from one process strictly
 * increasing. The alphabet is in ASCII order so byte-wise comparison matches creation order.
 */
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const TIME_LENGTH = 8;
const RANDOM_LENGTH = 16;

let lastMillis = -1;
let lastRandom: number[] = [];

function randomDigits(count: number): number[] {
  const digits: number[] = [];
  while (digits.length < count) {
    for (const byte of randomBytes(count * 2)) {
      // 248 = 4 * 62: rejecting larger bytes keeps every digit equally likely.
      if (byte < 248 && digits.length < count) digits.push(byte % 62);
    }
  }
  return digits;
}

function incremented(digits: number[]): number[] {
  const next = [...digits];
  for (let i = next.length - 1; i >= 0; i--) {
    if (next[i]! < 61) {
      next[i]! += 1;
      return next;
    }
    next[i] = 0;
  }
  return randomDigits(RANDOM_LENGTH); // all 16 digits overflowed: astronomically unlikely
}

/**
 * The emulator's `--id-seed`: ids drawn from a seeded sequence instead of the clock and the system's
 * randomness, so the same calls give the same ids in every run. The time part counts up from a
 * fixed instant, one millisecond per id, so ids still sort in creation order.
 */
export interface IdSequence {
  /** The generator's state (see SeededRandom). */
  state: number;
  /** The time part of the next id. */
  millis: number;
}

/** 2025-01-01T00:00:00Z: where a seeded sequence's time part starts. */
const SEEDED_EPOCH_MS = 1_735_689_600_000;

let sequence: IdSequence | undefined;

export function seededIdSequence(seed: number): IdSequence {
  return { state: new SeededRandom(seed).state, millis: SEEDED_EPOCH_MS };
}

/** Draws ids from `next` from now on (a copy of it), or from the clock again when undefined. */
export function useIdSequence(next: IdSequence | undefined): void {
  sequence = next && { ...next };
}

/** Where the seeded sequence stands (a copy), to be put back with `useIdSequence`. */
export function currentIdSequence(): IdSequence | undefined {
  return sequence && { ...sequence };
}

function seededId(prefix: string, current: IdSequence): string {
  const random = new SeededRandom(0);
  random.state = current.state;
  const digits = Array.from({ length: RANDOM_LENGTH }, () => Math.floor(random.next() * 62));
  current.state = random.state;
  return prefix + timeDigits(current.millis++) + digits.map((d) => ALPHABET[d]).join('');
}

function timeDigits(millis: number): string {
  let time = '';
  for (let value = millis, i = 0; i < TIME_LENGTH; i++, value = Math.floor(value / 62)) {
    time = ALPHABET[value % 62] + time;
  }
  return time;
}

export function newId(prefix: string, now: number = Date.now()): string {
  if (sequence !== undefined) return seededId(prefix, sequence);
  if (now === lastMillis) {
    lastRandom = incremented(lastRandom);
  } else {
    lastMillis = now;
    lastRandom = randomDigits(RANDOM_LENGTH);
  }
  return prefix + timeDigits(now) + lastRandom.map((d) => ALPHABET[d]).join('');
}

/** A random base62 string, for secrets. */
export function randomToken(length: number): string {
  return randomDigits(length).map((d) => ALPHABET[d]).join('');
}
