import assert from 'node:assert/strict';
import OpenAI from 'openai';

export interface ExpectedRefusal {
  status: number;
  param?: string | null;
  code?: string | null;
  message?: RegExp;
}

/** Asserts the SDK call fails with this status and, when given, this param, code and message. */
export async function assertRefused(call: Promise<unknown>, expected: ExpectedRefusal): Promise<void> {
  await assert.rejects(call, (error: unknown) => {
    assert.ok(error instanceof OpenAI.APIError, `expected an API error, got ${String(error)}`);
    assert.equal(error.status, expected.status, error.message);
    if (expected.param !== undefined) assert.equal(error.param, expected.param, error.message);
    if (expected.code !== undefined) assert.equal(error.code, expected.code, error.message);
    if (expected.message) assert.match(error.message, expected.message);
    return true;
  });
}
