import { randomBytes } from 'node:crypto';

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

export function newId(prefix: string, now: number = Date.now()): string {
  if (now === lastMillis) {
    lastRandom = incremented(lastRandom);
  } else {
    lastMillis = now;
    lastRandom = randomDigits(RANDOM_LENGTH);
  }
  let time = '';
  for (let value = now, i = 0; i < TIME_LENGTH; i++, value = Math.floor(value / 62)) {
    time = ALPHABET[value % 62] + time;
  }
  return prefix + time + lastRandom.map((d) => ALPHABET[d]).join('');
}

/** A random base62 string, for secrets. */
export function randomToken(length: number): string {
  return randomDigits(length).map((d) => ALPHABET[d]).join('');
}
