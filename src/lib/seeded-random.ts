/**
 * A small, fast pseudo-random generator (mulberry32) for what must repeat from run to run: the
 * emulator's deterministic ids and its probabilistic faults. Never for secrets. Its whole state is
 * one 32-bit number, so it can be saved with a snapshot and put back.
 */
export class SeededRandom {
  state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A number in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}
