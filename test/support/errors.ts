import assert from 'node:assert/strict';
import OpenAI from 'openai';

type ErrorClass = typeof OpenAI.BadRequestError | typeof OpenAI.NotFoundError;

/** Asserts that an SDK call fails with this error class and, when given, this param, code and message. */
export async function assertApiError(
  call: Promise<unknown>,
  errorClass: ErrorClass,
  expected: { param?: string | null; code?: string; message?: RegExp } = {},
): Promise<void> {
  await assert.rejects(call, (error: unknown) => {
    assert.ok(error instanceof errorClass, `expected ${errorClass.name}, got ${String(error)}`);
    if (expected.param !== undefined) assert.equal(error.param, expected.param);
    if (expected.code !== undefined) assert.equal(error.code, expected.code);
    if (expected.message !== undefined) assert.match(error.message, expected.message);
    return true;
  });
}
