import fc from 'fast-check';
import qs from 'qs';

/**
 * Requests generated from OpenAPI documents: every operation of the OpenAI reference and of
 * roster's own document (so routes added later are fuzzed without anyone listing them), with
 * path parameters, query values and bodies drawn from each operation's schemas, mixed with
 * hostile values (NUL characters, broken percent-encodings, huge numbers, very long strings,
 * values of the wrong type) and with wrong methods, keys and content types.
 */

type Schema = Record<string, any>;

interface Parameter {
  name: string;
  in: 'path' | 'query';
  schema: Schema;
}

export interface FuzzOperation {
  method: string;
  /** With its `{name}` placeholders, e.g. `/v1/organization/users/{user_id}`. */
  path: string;
  parameters: Parameter[];
  bodies: Schema[];
  /** Each document the operation was found in, to resolve its `$ref`s. */
  documents: Schema[];
}

/** The operations of OpenAPI `documents`, merged by method and path; `prefixes[i]` is put before document i's paths. */
export function operationsOf(documents: { document: Schema; prefix: string }[]): FuzzOperation[] {
  const byKey = new Map<string, FuzzOperation>();
  for (const { document, prefix } of documents) {
    for (const [rawPath, item] of Object.entries<Schema>(document.paths ?? {})) {
      const path = `${prefix}${rawPath}`;
      const shared: Schema[] = item.parameters ?? [];
      for (const [method, operation] of Object.entries<Schema>(item)) {
        if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
        const key = `${method} ${path.replace(/\{[^}]+\}/g, '{}')}`;
        const merged = byKey.get(key) ?? { method: method.toUpperCase(), path, parameters: [], bodies: [], documents: [] };
        merged.documents.push(document);
        for (const raw of [...shared, ...(operation.parameters ?? [])]) {
          const parameter = resolve(document, raw);
          if ((parameter.in === 'path' || parameter.in === 'query') && !merged.parameters.some((p) => p.in === parameter.in && p.name === parameter.name)) {
            merged.parameters.push({ name: parameter.name, in: parameter.in, schema: inline(document, parameter.schema ?? {}) });
          }
        }
        const body = resolve(document, operation.requestBody ?? {})?.content?.['application/json']?.schema;
        if (body) merged.bodies.push(inline(document, body));
        byKey.set(key, merged);
      }
    }
  }
  return [...byKey.values()];
}

function resolve(document: Schema, value: Schema): Schema {
  let current = value;
  for (let hops = 0; current?.$ref && hops < 10; hops++) {
    current = current.$ref
      .replace(/^#\//, '')
      .split('/')
      .reduce((node: Schema | undefined, part: string) => node?.[part.replaceAll('~1', '/').replaceAll('~0', '~')], document);
  }
  return current ?? {};
}

/** The schema with its `$ref`s replaced, to a bounded depth (reference schemas are recursive). */
function inline(document: Schema, schema: Schema, depth = 0): Schema {
  const resolved = resolve(document, schema);
  if (depth > 6 || typeof resolved !== 'object' || resolved === null) return {};
  if (Array.isArray(resolved)) return resolved.map((item) => inline(document, item, depth + 1)) as unknown as Schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(resolved)) {
    out[key] = typeof value === 'object' && value !== null && key !== 'enum' && key !== 'example' && key !== 'default' ? inline(document, value, depth + 1) : value;
  }
  return out;
}

/** Strings that have broken servers before: NUL, encodings, lengths, injection, prototype keys. */
const hostileString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 24 }),
  fc.constantFrom(
    '\u0000',
    'a\u0000b',
    '%00',
    '%zz',
    '%',
    '../..',
    'x'.repeat(300),
    'y'.repeat(5000),
    '𝕏'.repeat(40),
    "' or 1=1 --",
    '\u202e\ufeff',
    '9223372036854775808',
    '-9223372036854775809',
    '1e309',
    '-1',
    '0',
    'NaN',
    '',
    ' ',
    'null',
    'true',
    '[]',
    '{}',
    '__proto__',
    'constructor',
    'user-',
    'proj_',
  ),
);

const hostileNumber = fc.constantFrom(
  -1,
  0,
  2 ** 31,
  2 ** 53,
  9223372036854775807,
  -9223372036854775808,
  1e308,
  -1e308,
  0.5,
  Number.MAX_SAFE_INTEGER,
  Number.MIN_SAFE_INTEGER,
);

/** Any value at all: a wrong type, a hostile string or number, or arbitrary JSON. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(hostileString, hostileNumber, fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(null, true, [], {}));

/** A value the schema describes (as far as a generator can tell), now and then a hostile one. */
function valueOf(schema: Schema, depth = 0): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 5, arbitrary: described(schema, depth) }, { weight: 1, arbitrary: hostileValue });
}

function described(schema: Schema, depth: number): fc.Arbitrary<unknown> {
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return fc.constantFrom(...schema.enum);
  if ('const' in schema) return fc.constant(schema.const);
  const branches = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(branches) && branches.length > 0) return fc.oneof(...branches.map((branch: Schema) => described(branch, depth)));
  if (Array.isArray(schema.allOf) && schema.allOf.length > 0) return described(Object.assign({}, ...schema.allOf), depth);
  const types: string[] = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : schema.properties ? ['object'] : [];
  if (types.length === 0) return fc.jsonValue({ maxDepth: 1 });
  if (schema.nullable) types.push('null');
  return fc.oneof(...types.map((type) => ofType(type, schema, depth)));
}

function ofType(type: string, schema: Schema, depth: number): fc.Arbitrary<unknown> {
  switch (type) {
    case 'string':
      return fc.oneof(
        fc.string({ maxLength: 16 }),
        fc.emailAddress(),
        fc.constantFrom(...[schema.default, schema.example].filter((value) => typeof value === 'string'), 'x'),
      );
    case 'integer': {
      const min = typeof schema.minimum === 'number' ? schema.minimum : -5;
      const max = typeof schema.maximum === 'number' ? schema.maximum : 100_000;
      return fc.oneof(fc.integer({ min: Math.max(min, -(2 ** 31)), max: Math.min(max, 2 ** 31) }), fc.constantFrom(min - 1, max + 1));
    }
    case 'number':
      return fc.double({ noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      if (depth > 3) return fc.constant([]);
      const item = valueOf(schema.items ?? {}, depth + 1);
      // Now and then a long one: every list length can be a new SQL text, a new prepared statement.
      return fc.oneof({ weight: 8, arbitrary: fc.array(item, { maxLength: 3 }) }, { weight: 1, arbitrary: fc.array(item, { minLength: 17, maxLength: 200 }) });
    }
    case 'object': {
      if (depth > 3) return fc.constant({});
      const properties: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [name, property] of Object.entries<Schema>(schema.properties ?? {})) properties[name] = valueOf(property, depth + 1);
      const known = fc.record(properties, { requiredKeys: [] });
      // Now and then a key the schema does not know.
      return fc.oneof({ weight: 6, arbitrary: known }, { weight: 1, arbitrary: fc.tuple(known, fc.string({ maxLength: 8 }), hostileValue).map(([value, key, extra]) => ({ ...value, [key]: extra })) });
    }
    default:
      return fc.jsonValue({ maxDepth: 1 });
  }
}

/** How a path parameter is filled: an id the store knows (picked when the request is sent), or anything. */
export type PathValue = { known: number } | { raw: string };

const pathValue: fc.Arbitrary<PathValue> = fc.oneof(
  { weight: 3, arbitrary: fc.nat().map((known) => ({ known })) },
  { weight: 2, arbitrary: hostileString.map((value) => ({ raw: encodeURIComponent(value) })) },
  // Sent as is: not valid percent-encodings, or not encoded at all.
  { weight: 1, arbitrary: fc.constantFrom('%zz', '%', '%00', '%E0%A4%A', '..', '%2F', '%2e%2e', 'a%20b').map((raw) => ({ raw })) },
);

export interface FuzzRequest {
  operation: FuzzOperation;
  method: string;
  pathValues: Record<string, PathValue>;
  /** The query string without its `?`. */
  query: string;
  body: string | undefined;
  contentType: string | undefined;
  auth: 'key' | 'none' | 'wrong' | 'malformed';
}

/**
 * Requests for `operations`, most of them well-formed enough to reach the route's own rules;
 * `weight` says how often each operation is picked relative to the others.
 */
export function fuzzRequests(operations: FuzzOperation[], weight: (operation: FuzzOperation) => number = () => 1): fc.Arbitrary<FuzzRequest> {
  const operation = fc.oneof(...operations.map((op) => ({ weight: weight(op), arbitrary: fc.constant(op) })));
  return operation.chain((operation) => {
    const pathParameters = operation.parameters.filter((p) => p.in === 'path');
    const queryProperties: Record<string, fc.Arbitrary<unknown>> = {};
    for (const parameter of operation.parameters.filter((p) => p.in === 'query')) queryProperties[parameter.name] = valueOf(parameter.schema);
    const body =
      operation.bodies.length > 0
        ? fc.oneof(...operation.bodies.map((schema) => valueOf(schema)))
        : fc.oneof(fc.constant(undefined), fc.jsonValue({ maxDepth: 2 }));
    return fc.record({
      operation: fc.constant(operation),
      method: fc.oneof({ weight: 12, arbitrary: fc.constant(operation.method) }, { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'DELETE', 'PUT', 'PATCH', 'HEAD', 'OPTIONS') }),
      pathValues: fc.record(Object.fromEntries(pathParameters.map((p) => [p.name, pathValue]))),
      query: fc
        .tuple(
          fc.record(queryProperties, { requiredKeys: [] }),
          fc.oneof(
            { weight: 6, arbitrary: fc.constant('') },
            { weight: 1, arbitrary: fc.constantFrom('&limit=%zz', '&after=%00', '&%zz=1', '&a[b][c][d]=1', '&limit=1&limit=2', '&effective_at[gt]=99999999999999999999', '&=', '&&&') },
          ),
        )
        .map(([values, raw]) => qs.stringify(values, { allowDots: false }) + raw),
      body: fc.oneof(
        { weight: 8, arbitrary: body.map((value) => (value === undefined ? undefined : JSON.stringify(value))) },
        { weight: 1, arbitrary: fc.constantFrom('{', '{"a":', '[', 'nul', '"\\u0000"', '{"a":"\\ud800"}', '1e999', '') },
      ),
      contentType: fc.oneof({ weight: 12, arbitrary: fc.constant('application/json') }, { weight: 1, arbitrary: fc.constantFrom(undefined, 'text/plain', 'application/json; charset=latin1', 'multipart/form-data') }),
      auth: fc.oneof({ weight: 16, arbitrary: fc.constant('key' as const) }, { weight: 1, arbitrary: fc.constantFrom('none' as const, 'wrong' as const, 'malformed' as const) }),
    });
  });
}

/**
 * Ids the store knows, each with the kind of object it names (`organization.project.user` for
 * an `object` field, `project` for a `project_id` field), so a `{project_id}` gets a project's id.
 */
export type KnownIds = Map<string, string>;

/** The request's URL path and query, with known ids of the fitting kind taken from `ids` now. */
export function urlOf(request: FuzzRequest, ids: KnownIds): string {
  const path = request.operation.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = request.pathValues[name];
    if (!value) return 'missing';
    if ('raw' in value) return value.raw;
    const stem = name.replace(/_id$/, '');
    const fitting = [...ids].filter(([, kind]) => kind.split('.').at(-1)!.includes(stem)).map(([id]) => id);
    const candidates = fitting.length > 0 ? fitting : [...ids.keys()];
    return candidates.length > 0 ? encodeURIComponent(candidates[value.known % candidates.length]!) : 'none';
  });
  return request.query ? `${path}?${request.query}` : path;
}

/** Every id in a JSON answer, with its kind (see KnownIds): ids to aim later requests at. */
export function idsIn(value: unknown, found: KnownIds = new Map()): KnownIds {
  if (Array.isArray(value)) for (const item of value) idsIn(item, found);
  else if (value && typeof value === 'object') {
    const object = (value as { object?: unknown }).object;
    for (const [key, item] of Object.entries(value)) {
      if (key === 'id' && typeof item === 'string') found.set(item, typeof object === 'string' ? object : '');
      else if (key.endsWith('_id') && typeof item === 'string') found.set(item, key.slice(0, -3));
      else idsIn(item, found);
    }
  }
  return found;
}
