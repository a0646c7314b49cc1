import { X509Certificate } from 'node:crypto';
import { invalidRequest } from '../../http/api-error.ts';

export interface ParsedCertificate {
  /** The PEM block, trimmed of anything around it. */
  content: string;
  /** SHA-256 fingerprint, so one organization cannot upload the same certificate twice. */
  fingerprint: string;
  valid_at: number;
  expires_at: number;
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;

/**
 * Reads an uploaded certificate with Node's own X.509 support. What cannot be read is refused
 * with a 400 that says why: not PEM, not a certificate, or already expired.
 */
export function parseCertificate(pem: string, now: number): ParsedCertificate {
  const block = PEM_BLOCK.exec(pem)?.[0];
  if (!block) {
    throw invalidRequest(
      "The certificate is not PEM-encoded: expected a '-----BEGIN CERTIFICATE-----' ... '-----END CERTIFICATE-----' block.",
      'certificate',
      'invalid_certificate',
    );
  }
  let parsed: X509Certificate;
  try {
    parsed = new X509Certificate(block);
  } catch {
    throw invalidRequest('The certificate is malformed: its PEM block does not hold a readable X.509 certificate.', 'certificate', 'invalid_certificate');
  }
  const expiresAt = Math.floor(parsed.validToDate.getTime() / 1000);
  if (expiresAt <= now) {
    throw invalidRequest(`The certificate expired on ${parsed.validToDate.toISOString()}; upload one that is still valid.`, 'certificate', 'certificate_expired');
  }
  return {
    content: block,
    fingerprint: parsed.fingerprint256,
    valid_at: Math.floor(parsed.validFromDate.getTime() / 1000),
    expires_at: expiresAt,
  };
}
