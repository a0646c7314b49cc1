import qs from 'qs';

/**
 * Real clients encode arrays differently: the Node and Python SDKs send `emails[]=a&emails[]=b`
 * (brackets percent-encoded), the Perl client `emails=a&emails=b`, curl users `emails=a`; audit
 * filters come as `effective_at[gte]=…`. qs reads all of these into `{ emails: [...] }` and
 * `{ effective_at: { gte } }`; the route schemas then coerce single values to arrays.
 */
export function parseQueryString(query: string): Record<string, unknown> {
  return qs.parse(query, { depth: 1, arrayLimit: 1000, parameterLimit: 2000, allowPrototypes: false });
}
