import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The limits the reference knows; each model has the first two and any of the others. */
export const LIMIT_FIELDS = [
  'max_requests_per_1_minute',
  'max_tokens_per_1_minute',
  'max_images_per_1_minute',
  'max_audio_megabytes_per_1_minute',
  'max_requests_per_1_day',
  'batch_1_day_max_input_tokens',
] as const;
export type LimitField = (typeof LIMIT_FIELDS)[number];
const REQUIRED_FIELDS: readonly LimitField[] = ['max_requests_per_1_minute', 'max_tokens_per_1_minute'];

export type Limits = Partial<Record<LimitField, number>> & Record<'max_requests_per_1_minute' | 'max_tokens_per_1_minute', number>;

/** The models roster knows, each with its default limits, in the catalogue file's order. */
export type ModelCatalogue = ReadonlyMap<string, Limits>;

/** The catalogue shipped with roster: current OpenAI model ids with usage-tier-1-like limits. */
export const DEFAULT_CATALOGUE_FILE = fileURLToPath(new URL('./models.json', import.meta.url));

function isPositiveInteger(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) > 0;
}

/**
 * Reads and checks a catalogue: `{"models": [{"model": "gpt-4.1", "max_requests_per_1_minute":
 * 500, "max_tokens_per_1_minute": 30000, ...}, ...]}`. Anything else stops roster at startup with
 * the file and the entry at fault, rather than serving limits nobody meant.
 */
export function loadModelCatalogue(file: string = DEFAULT_CATALOGUE_FILE): ModelCatalogue {
  const fail = (problem: string): never => {
    throw new Error(`Model catalogue ${file}: ${problem}`);
  };
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    return fail(`cannot be read as JSON (${(error as Error).message})`);
  }
  const entries = (document as { models?: unknown })?.models;
  if (!Array.isArray(entries) || entries.length === 0) return fail('expected {"models": [...]} with at least one model');
  const catalogue = new Map<string, Limits>();
  entries.forEach((entry: Record<string, unknown>, index) => {
    const where = `models[${index}]`;
    const { model, ...limits } = entry ?? {};
    if (typeof model !== 'string' || !/^[\w.:-]+$/.test(model)) fail(`${where}.model must be a model id`);
    if (catalogue.has(model as string)) fail(`${where}: model '${model}' is listed twice`);
    for (const [field, value] of Object.entries(limits)) {
      if (!(LIMIT_FIELDS as readonly string[]).includes(field)) fail(`${where}.${field} is not a rate limit (known: ${LIMIT_FIELDS.join(', ')})`);
      if (!isPositiveInteger(value)) fail(`${where}.${field} must be a positive integer`);
    }
    for (const field of REQUIRED_FIELDS) if (!(field in limits)) fail(`${where} has no ${field}`);
    catalogue.set(model as string, limits as Limits);
  });
  return catalogue;
}

let shipped: ModelCatalogue | undefined;

/** The shipped catalogue, read once: what roster uses when no other is configured. */
export function defaultModelCatalogue(): ModelCatalogue {
  shipped ??= loadModelCatalogue();
  return shipped;
}
