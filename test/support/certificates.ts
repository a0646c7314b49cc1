import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** `20200101000000Z`, the date form `openssl ca` takes. */
function opensslDate(date: Date): string {
  return `${date.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;
}

/**
 * A fresh self-signed certificate (P-256) valid from `notBefore` to `notAfter`, as PEM, made with
 * the machine's `openssl`. `openssl ca` is used rather than `openssl req -x509` because only it
 * can put the validity window in the past, which expired certificates need.
 */
export function makeCertificate(options: { notBefore?: Date; notAfter?: Date; commonName?: string } = {}): string {
  const day = 24 * 60 * 60 * 1000;
  const notBefore = options.notBefore ?? new Date(Date.now() - day);
  const notAfter = options.notAfter ?? new Date(Date.now() + 365 * day);
  const dir = mkdtempSync(join(tmpdir(), 'roster-cert-'));
  try {
    writeFileSync(join(dir, 'index.txt'), '');
    writeFileSync(join(dir, 'serial'), '01\n');
    writeFileSync(
      join(dir, 'ca.cnf'),
      `[ca]\ndefault_ca = test\n[test]\ndatabase = ${dir}/index.txt\nnew_certs_dir = ${dir}\nserial = ${dir}/serial\ndefault_md = sha256\npolicy = any\n[any]\ncommonName = supplied\n`,
    );
    const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
    run(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'key.pem', '-subj', `/CN=${options.commonName ?? 'roster test'}`, '-out', 'csr.pem']);
    run(['ca', '-batch', '-selfsign', '-config', 'ca.cnf', '-keyfile', 'key.pem', '-in', 'csr.pem', '-notext', '-out', 'cert.pem',
      '-startdate', opensslDate(notBefore), '-enddate', opensslDate(notAfter)]);
    return readFileSync(join(dir, 'cert.pem'), 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
