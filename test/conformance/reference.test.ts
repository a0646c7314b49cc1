import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { referenceViolations } from '../support/reference.ts';

// The conformance check is only worth something if it can fail: these pin that it does.
describe('reference conformance check', () => {
  const user = { object: 'organization.user', id: 'user-abc', name: 'A', email: 'a@example.com', role: 'owner', added_at: 1 };

  test('accepts a body that matches the operation schema', () => {
    assert.deepEqual(referenceViolations('GET', '/v1/organization/users/user-abc', 200, user), []);
  });

  test('reports a missing required field', () => {
    const { id: _id, ...withoutId } = user;
    const problems = referenceViolations('GET', '/v1/organization/users/user-abc', 200, withoutId);
    assert.ok(problems && problems.some((p) => p.includes("'id'")), String(problems));
  });

  test('reports a wrong object value and a wrong type', () => {
    const problems = referenceViolations('GET', '/v1/organization/users/user-abc', 200, { ...user, object: 'user', added_at: 'yesterday' });
    assert.ok(problems && problems.length >= 2, String(problems));
  });

  test('checks error responses against the error envelope', () => {
    assert.deepEqual(referenceViolations('GET', '/v1/organization/users', 404, { error: { message: 'x', type: 't', param: null, code: null } }), []);
    assert.ok(referenceViolations('GET', '/v1/organization/users', 404, { message: 'x' })!.length > 0);
  });

  test('ignores routes the reference does not describe', () => {
    assert.equal(referenceViolations('GET', '/roster/v1/health', 200, {}), undefined);
  });
});
