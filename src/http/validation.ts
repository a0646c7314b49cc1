import { Ajv, type ErrorObject, type Options } from 'ajv';
import type { FastifySchemaValidationError, SchemaErrorDataVar } from 'fastify/types/schema.js';
import { ApiError } from './api-error.ts';

/**
 * Two validators: query strings and path parameters arrive as text and are coerced to the
 * declared types (`limit=5` → 5, a single `emails=a` → ["a"]); JSON bodies are checked as sent,
 * so `{"role": 1}` is refused rather than quietly turned into "1".
 */
const common: Options = { allErrors: false, verbose: true, strict: false, useDefaults: true };
const coercing = new Ajv({ ...common, coerceTypes: 'array' });
const exact = new Ajv({ ...common, coerceTypes: false });

type Validate = ReturnType<Ajv['compile']>;

/**
 * Every path parameter, query value and body field roster accepts passes through here, so the
 * rules that no schema can say live here once, for both stores:
 * - no string (nor object key) may contain a NUL character: PostgreSQL cannot store one in text,
 *   SQLite can, and a value should not be kept by one store and refused by the other;
 * - every number must be a safe integer or a finite decimal within ±2^53: larger ones lose
 *   precision in JavaScript and overflow PostgreSQL's bigint.
 * Either is a 400 that names the parameter, checked after the schema has coerced the value.
 */
export function validatorCompiler({ schema, httpPart }: { schema: object; httpPart?: string }) {
  const validate = (httpPart === 'body' ? exact : coercing).compile(schema);
  const checked = (data: unknown, dataContext?: Parameters<Validate>[1]) => {
    const valid = validate(data, dataContext);
    checked.errors = validate.errors;
    if (!valid) return false;
    const problem = unstorableValue(data, httpPart === 'body' ? '' : null);
    return problem ? { error: problem } : true;
  };
  checked.errors = validate.errors;
  // Fastify hands Ajv's root-coercion context only to validators that carry their schemaEnv.
  checked.schemaEnv = validate.schemaEnv;
  return checked;
}

/** The first value that no store can keep faithfully, as a 400 naming it; undefined when none. */
export function unstorableValue(value: unknown, path: string | null): ApiError | undefined {
  const named = (key: string) => (path ? `${path}.${key}` : key);
  if (typeof value === 'string') {
    if (value.includes('\u0000')) return unstorable(path, 'must not contain a NUL character (\\u0000)');
  } else if (typeof value === 'number') {
    if (Math.abs(value) > Number.MAX_SAFE_INTEGER) return unstorable(path, `must be between ${-Number.MAX_SAFE_INTEGER} and ${Number.MAX_SAFE_INTEGER}`);
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const problem = unstorableValue(value[i], `${path ?? ''}[${i}]`);
      if (problem) return problem;
    }
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (key.includes('\u0000')) return unstorable(path, 'must not have a key containing a NUL character (\\u0000)');
      const problem = unstorableValue(item, named(key));
      if (problem) return problem;
    }
  }
  return undefined;
}

function unstorable(param: string | null, rule: string): ApiError {
  const name = param || 'body';
  return new ApiError(400, `Invalid value for '${name}': it ${rule}.`, { param: param || null, code: 'invalid_value' });
}

function quote(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
}

function listOf(values: readonly unknown[]): string {
  const quoted = values.map(quote);
  return quoted.length <= 1 ? quoted.join('') : `${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1)}`;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (Number.isInteger(value)) return 'an integer';
  const type = typeof value;
  return type === 'object' ? 'an object' : `a ${type === 'number' ? 'decimal' : type}`;
}

const EXPECTED: Record<string, string> = {
  integer: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'a boolean',
  object: 'an object',
  array: 'an array',
  null: 'null',
};

/** `/projects/0/role` → `projects[0].role`, the way OpenAI names nested parameters. */
function paramName(path: string, extra?: string): string | null {
  const parts = path.split('/').filter(Boolean);
  if (extra) parts.push(extra);
  if (parts.length === 0) return null;
  return parts.reduce((name, part) => (/^\d+$/.test(part) ? `${name}[${part}]` : name ? `${name}.${part}` : part), '');
}

/** Of the errors Ajv reports for a union (`string | null`), the one about the non-null branch helps. */
function mostUseful(errors: FastifySchemaValidationError[]): ErrorObject {
  const all = errors as unknown as ErrorObject[];
  return all.find((e) => e.keyword !== 'anyOf' && !(e.keyword === 'type' && e.params.type === 'null')) ?? all[0]!;
}

export function describeValidationError(errors: FastifySchemaValidationError[], context: SchemaErrorDataVar): ApiError {
  const error = mostUseful(errors);
  const value = error.data;
  const where = error.instancePath;
  const param = paramName(where);
  const named = param ?? context;
  switch (error.keyword) {
    case 'required': {
      const missing = paramName(where, String(error.params.missingProperty));
      return new ApiError(400, `Missing required parameter: '${missing}'.`, { param: missing, code: 'missing_required_parameter' });
    }
    case 'additionalProperties': {
      const extra = paramName(where, String(error.params.additionalProperty));
      return new ApiError(400, `Unrecognized request argument supplied: ${extra}`, { param: extra, code: 'unknown_parameter' });
    }
    case 'type': {
      if (param === null && context === 'body') {
        return new ApiError(400, 'The request body must be a JSON object.', { code: 'invalid_type' });
      }
      const expected = EXPECTED[String(error.params.type)] ?? String(error.params.type);
      return new ApiError(400, `Invalid type for '${named}': expected ${expected}, but got ${kindOf(value)} instead.`, {
        param,
        code: 'invalid_type',
      });
    }
    case 'enum':
    case 'const': {
      const allowed = (error.params.allowedValues as unknown[] | undefined) ?? [error.params.allowedValue];
      return new ApiError(400, `Invalid value for '${named}': ${quote(value)}. Supported values are: ${listOf(allowed)}.`, {
        param,
        code: 'invalid_value',
      });
    }
    case 'maximum':
      return new ApiError(400, `Invalid '${named}': integer above maximum value. Expected a value <= ${error.params.limit}, but got ${value} instead.`, {
        param,
        code: 'integer_above_max_value',
      });
    case 'minimum':
      return new ApiError(400, `Invalid '${named}': integer below minimum value. Expected a value >= ${error.params.limit}, but got ${value} instead.`, {
        param,
        code: 'integer_below_min_value',
      });
    case 'maxLength':
      return new ApiError(400, `Invalid '${named}': string too long. Expected a string with maximum length ${error.params.limit}, but got a string with length ${String(value).length} instead.`, {
        param,
        code: 'string_above_max_length',
      });
    case 'minLength':
      return new ApiError(400, `Invalid '${named}': string too short. Expected a string with minimum length ${error.params.limit}, but got a string with length ${String(value).length} instead.`, {
        param,
        code: 'string_below_min_length',
      });
    case 'maxItems':
      return new ApiError(400, `Invalid '${named}': array too long. Expected an array with maximum length ${error.params.limit}, but got an array with length ${Array.isArray(value) ? value.length : '?'} instead.`, {
        param,
        code: 'array_above_max_length',
      });
    default:
      return new ApiError(400, `Invalid '${named}': ${error.message ?? 'the value is not valid'}.`, { param, code: 'invalid_value' });
  }
}
