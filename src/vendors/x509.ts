import { X509Certificate } from 'node:crypto';

/** What the graph shows of an X.509 certificate a vendor returned. */
export interface X509Details {
  /** Distinguished name, most specific part first as RFC 4514 writes it: `CN=…, O=…, C=KR`. */
  subject: string;
  /** Issuer distinguished name, in the same form as `subject`. */
  issuer: string;
  /** Serial number in uppercase hex, two digits a byte, as OpenSSL prints it (`0A1B2C…`). */
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  /** SHA-256 of the DER bytes, uppercase hex pairs joined by colons (`AB:CD:…`), as OpenSSL prints it. */
  sha256Fingerprint: string;
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Parses one certificate given as PEM (the first `CERTIFICATE` block) or as base64 DER (line
 * breaks allowed); returns `null` for anything that is not a certificate.
 */
export function parseX509(data: string): X509Details | null {
  const certificate = readCertificate(data);
  if (!certificate) return null;
  const notBefore = new Date(certificate.validFrom);
  const notAfter = new Date(certificate.validTo);
  if (Number.isNaN(notBefore.getTime()) || Number.isNaN(notAfter.getTime())) return null;
  return {
    subject: rfc4514(certificate.subject),
    issuer: rfc4514(certificate.issuer),
    serialNumber: certificate.serialNumber.toUpperCase(),
    notBefore,
    notAfter,
    sha256Fingerprint: certificate.fingerprint256,
  };
}

function readCertificate(data: string): X509Certificate | undefined {
  const pem = PEM_BLOCK.exec(data)?.[0];
  const compact = data.replace(/\s+/g, '');
  let input: string | Buffer;
  if (pem !== undefined) input = pem;
  else if (compact.length > 0 && BASE64.test(compact)) input = Buffer.from(compact, 'base64');
  else return undefined;
  try {
    return new X509Certificate(input);
  } catch {
    return undefined;
  }
}

/** node:crypto lists a name one attribute a line in encoded order (least specific first), already escaped. */
function rfc4514(multiline: string): string {
  return multiline.split('\n').filter(Boolean).reverse().join(', ');
}
