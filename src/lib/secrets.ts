import { createHash } from 'node:crypto';
import { randomToken } from './ids.ts';

/** Admin keys are stored only as this digest; the clear value is shown once, at creation. */
export function hashSecret(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** `sk-admin-` and 124 base62 characters: the 133-character shape of real admin keys. */
export function newAdminKeyValue(): string {
  return `sk-admin-${randomToken(124)}`;
}

/**
 * Project API keys: `sk-proj-` for a person's key, `sk-svcacct-` for a service account's, then
 * 128 base62 characters (the real ones are of that order of length).
 */
export function newProjectKeyValue(owner: 'user' | 'service_account'): string {
  return `${owner === 'user' ? 'sk-proj-' : 'sk-svcacct-'}${randomToken(128)}`;
}

/** The real API keeps the first 8 and last 4 characters and masks the rest with `*`. */
export function redactSecret(value: string): string {
  if (value.length <= 12) return '*'.repeat(value.length);
  return value.slice(0, 8) + '*'.repeat(value.length - 12) + value.slice(-4);
}
