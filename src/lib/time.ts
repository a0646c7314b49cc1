/** OpenAI objects carry Unix timestamps in whole seconds. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
