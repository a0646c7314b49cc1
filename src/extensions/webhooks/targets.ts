import { lookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Which addresses webhooks may be sent to. By default only public unicast addresses: a receiver
 * URL must not be a way to reach the machine roster runs on or its private network (SSRF). The
 * operator can allow more, address by address or range by range, for tests and local setups.
 */
export class TargetPolicy {
  private readonly allowed: [ipaddr.IPv4 | ipaddr.IPv6, number][];

  /** `allowList`: addresses or CIDR ranges (`127.0.0.1`, `10.0.0.0/8`, `::1`) allowed although not public. */
  constructor(allowList: string[] = []) {
    this.allowed = allowList.map((entry) => {
      try {
        return entry.includes('/') ? ipaddr.parseCIDR(entry) : ([ipaddr.parse(entry), entry.includes(':') ? 128 : 32] as [ipaddr.IPv4 | ipaddr.IPv6, number]);
      } catch {
        throw new Error(`webhook allow list: '${entry}' is neither an IP address nor a CIDR range`);
      }
    });
  }

  allows(address: string): boolean {
    let parsed = ipaddr.parse(address);
    if (parsed instanceof ipaddr.IPv6 && parsed.isIPv4MappedAddress()) parsed = parsed.toIPv4Address();
    if (parsed.range() === 'unicast') return true;
    return this.allowed.some(([range, bits]) => range.kind() === parsed.kind() && parsed.match(range, bits));
  }

  /**
   * A DNS lookup for the sockets that deliver webhooks: it fails when a name resolves to an address
   * the policy refuses, so a name cannot be pointed at a private address after it was checked.
   */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    lookup(hostname, { ...options, all: true } as LookupAllOptions, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const refused = addresses.find((entry) => !this.allows(entry.address));
      if (refused) return callback(refusal(hostname, refused.address), '', 0);
      if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      return callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };

  /** Why `url` may not receive webhooks, or undefined when it may (its name resolved now). */
  async refusal(url: string): Promise<string | undefined> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return 'is not a valid URL';
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'must use http or https';
    if (parsed.username || parsed.password) return 'must not carry credentials';
    const host = hostOf(parsed);
    if (isIP(host)) return this.allows(host) ? undefined : `points at ${host}, which is not a public address`;
    const addresses = await new Promise<LookupAddress[] | Error>((resolve) =>
      lookup(host, { all: true }, (error, found) => resolve(error ?? found)),
    );
    if (addresses instanceof Error) return `has a host name that does not resolve (${host})`;
    const refused = addresses.find((entry) => !this.allows(entry.address));
    return refused ? `resolves to ${refused.address}, which is not a public address` : undefined;
  }
}

/** The URL's host as a socket sees it: IPv6 literals without their brackets. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

export function refusal(host: string, address: string): Error {
  return Object.assign(new Error(`${host} is ${address}, which webhooks may not be sent to`), { code: 'EWEBHOOKTARGET' });
}
