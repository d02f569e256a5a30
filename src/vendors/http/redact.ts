/**
 * Vendor text (what a vendor's error body says) is shown to operators in logs only, and only after
 * every credential it might carry is replaced: devicegraph's own credentials and the header values
 * it sent, in the forms a vendor might echo them, and anything else shaped like a credential.
 */
import { isUuid } from '../uuid.js';

/** What stands where a credential was. */
export const REDACTED = '[redacted]';

/** The most characters of vendor text kept for a log line. */
export const MAX_VENDOR_TEXT = 300;

/** An authorization scheme and the value after it (`Basic dXNlcjpwYXNz`, `Bearer eyJ…`). */
const SCHEME_VALUE = /\b(Basic|Bearer|Digest|Negotiate|NTLM|ApiKey|AWS4-HMAC-SHA256)\s+([^\s"',;]+)/gi;

/** A value named like a credential: `token=…`, `"apiKey": "…"`, `x-ncp-apigw-signature-v2: …`. */
const NAMED_VALUE =
  /([\w-]*(?:token|secret|passw(?:or)?d|pwd|api[-_]?key|access[-_]?key|signature|authorization|credential|cookie|session)[\w-]*["']?\s*[:=]\s*["']?)[^\s"',;&}]+/gi;

/** A JSON Web Token. */
const JWT = /\beyJ[\w-]*\.[\w-]*\.[\w-]*/g;

/** A long opaque run of key-like characters with letters and digits (keys, digests, signatures). */
const OPAQUE = /[A-Za-z0-9+=_-]{32,}/g;

/** Secrets shorter than this are not searched for: they would match ordinary words. */
const MIN_SECRET_LENGTH = 4;

/** How much of a vendor text is read: enough for `MAX_VENDOR_TEXT` characters after redaction. */
const WINDOW = 4 * MAX_VENDOR_TEXT;

/**
 * `text` with every one of `secrets` (as is, URL-encoded and base64-encoded) and every
 * credential-shaped part replaced by `[redacted]`, cut to `MAX_VENDOR_TEXT` characters. Only the
 * head of a long text is read, ending at a separator, and it is cut again only after redaction,
 * so no cut leaves part of a secret unrecognised.
 */
export function redactVendorText(text: string, secrets: Iterable<string>): string {
  let redacted = text.length > WINDOW ? text.slice(0, WINDOW).replace(/[^\s,;]*$/, '') : text;
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    for (const form of [secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64'), Buffer.from(secret).toString('base64url')]) forms.add(form);
  }
  for (const form of [...forms].sort((a, b) => b.length - a.length)) redacted = redacted.split(form).join(REDACTED);
  redacted = redacted
    // A plain lowercase word after a scheme name is prose ("Basic authentication failed"), not a credential.
    .replace(SCHEME_VALUE, (match, scheme: string, value: string) => (/^[a-z]+$/.test(value) ? match : `${scheme} ${REDACTED}`))
    .replace(NAMED_VALUE, `$1${REDACTED}`)
    .replace(JWT, REDACTED)
    .replace(OPAQUE, (run) => (isUuid(run) || !/\d/.test(run) || !/[A-Za-z]/.test(run) ? run : REDACTED));
  return redacted.length > MAX_VENDOR_TEXT ? `${redacted.slice(0, MAX_VENDOR_TEXT)}…` : redacted;
}

/** A vendor error code fit to show clients: short, code-like, and no credential in it. */
export function isPlainVendorCode(code: string, secrets: Iterable<string>): boolean {
  return /^[A-Za-z0-9_.:-]{1,64}$/.test(code) && redactVendorText(code, secrets) === code;
}
