import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { parse } from 'yaml';

/**
 * Conformance with the OpenAI reference: every response a test receives is checked against the
 * schema that `reference/openai-admin-openapi.yaml` (the repository's copy) declares for that operation and status
 * (errors against `ErrorResponse`). Routes the reference does not describe are not checked.
 */
const REFERENCE = fileURLToPath(new URL('../../reference/openai-admin-openapi.yaml', import.meta.url));

interface Operation {
  pattern: RegExp;
  /** The reference's path, e.g. `/organization/roles/{role_id}`. */
  path: string;
  method: string;
  operationId: string | undefined;
  responses: Record<string, unknown>;
}

const document = parse(readFileSync(REFERENCE, 'utf8')) as {
  paths: Record<string, Record<string, { operationId?: string; responses?: Record<string, { content?: Record<string, { schema?: unknown }> }> }>>;
};

const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
ajv.addSchema(document as object, 'reference');

const operations: Operation[] = [];
for (const [path, item] of Object.entries(document.paths)) {
  const pattern = new RegExp(`^/v1${path.replace(/\{[^}]+\}/g, '[^/]+')}$`);
  for (const [method, operation] of Object.entries(item)) {
    if (typeof operation !== 'object' || !operation?.responses) continue;
    const responses: Record<string, unknown> = {};
    for (const [status, response] of Object.entries(operation.responses)) {
      const schema = response.content?.['application/json']?.schema;
      if (schema) responses[status] = schema;
    }
    operations.push({ pattern, path, method: method.toUpperCase(), operationId: operation.operationId, responses });
  }
}

const compiled = new Map<string, ValidateFunction>();
function validatorFor(schema: unknown): ValidateFunction {
  const key = JSON.stringify(schema);
  let validate = compiled.get(key);
  if (!validate) {
    // Rewrite local refs so they resolve inside the stored reference document.
    const rooted = JSON.parse(key.replaceAll('"#/components/', '"reference#/components/'));
    validate = ajv.compile(rooted);
    compiled.set(key, validate);
  }
  return validate;
}

const errorSchema = { $ref: '#/components/schemas/ErrorResponse' };

/** Problems with this response, or an empty list; `undefined` when the reference has no such route. */
export function referenceViolations(method: string, path: string, status: number, body: unknown): string[] | undefined {
  const operation = operations.find((op) => op.method === method && op.pattern.test(path));
  if (!operation) return undefined;
  const schema = status >= 400 ? errorSchema : operation.responses[String(status)];
  if (!schema) return [`the reference declares no ${status} response for ${method} ${path}`];
  const validate = validatorFor(schema);
  if (validate(body)) return [];
  return (validate.errors ?? []).map((e) => `${method} ${path} ${status}: ${e.instancePath || '(body)'} ${e.message}`);
}

/** The reference's operations whose path starts with `prefix`, e.g. `/organization/roles`. */
export function referenceOperations(prefix: string): { method: string; path: string; operationId: string | undefined }[] {
  return operations.filter((op) => op.path.startsWith(prefix)).map(({ method, path, operationId }) => ({ method, path, operationId }));
}

/** fetch that appends to `violations` every response the reference describes but the body does not match. */
export function conformanceCheckingFetch(violations: string[]) {
  return async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const response = await fetch(request);
    const text = await response.clone().text();
    if (text && response.headers.get('content-type')?.includes('application/json')) {
      const problems = referenceViolations(request.method, new URL(request.url).pathname, response.status, JSON.parse(text));
      if (problems) violations.push(...problems);
    }
    return response;
  };
}
