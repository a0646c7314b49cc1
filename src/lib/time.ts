/** OpenAI objects carry Unix timestamps in whole seconds. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/**
 * When something asked to live `seconds` from now expires, or null for never. Rounded up to a
 * whole second, so it lives at least as long as asked even when made late in a second.
 */
export function expiryAfter(seconds: number | null | undefined): number | null {
  return seconds == null ? null : Math.ceil(Date.now() / 1000 + seconds);
}
