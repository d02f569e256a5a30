import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { SeededRandom } from '../random.js';

/** One attribute of a distinguished name, as a certificate encodes it (least specific first). */
export interface NameAttribute {
  shortName: 'C' | 'ST' | 'L' | 'O' | 'OU' | 'CN';
  value: string;
}

/** A certificate the simulator issued, in the two encodings NAVER may return. */
export interface SimulatedCertificate {
  /** Serial number in decimal, as NAVER's `serialNumber` field carries it. */
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  pem: string;
  /** The DER bytes in base64, on one line. */
  base64Der: string;
}

/** What to put in a certificate the simulator issues. */
export interface CertificateRequest {
  subject: readonly NameAttribute[];
  issuer: readonly NameAttribute[];
  /** 40 hex digits, the first 1–7: a positive serial of at most 20 bytes, as RFC 5280 allows. */
  serialHex: string;
  notBefore: Date;
  notAfter: Date;
}

/**
 * The seed of the simulator's RSA key. The key only signs simulated certificates and is not a
 * secret; a fixed seed keeps every certificate byte-identical across runs, and this one's prime
 * search ends quickly (pure-JS key generation takes tens of milliseconds).
 */
const KEY_SEED = 21;
const KEY_BITS = 1024;

interface SimulatorKey {
  publicKey: forge.pki.PublicKey;
  /** The same private key as node:crypto holds it: native signing is far faster than forge's. */
  signingKey: KeyObject;
}

let simulatorKey: SimulatorKey | undefined;

/** The simulator's one key pair, made on first use and kept for the life of the process. */
function simulatorKeyPair(): SimulatorKey {
  if (!simulatorKey) {
    const random = new SeededRandom(KEY_SEED);
    const prng = {
      getBytesSync: (count: number) => String.fromCharCode(...Array.from({ length: count }, () => random.int(0, 255))),
    };
    const { publicKey, privateKey } = forge.pki.rsa.generateKeyPair({ bits: KEY_BITS, e: 0x10001, prng });
    simulatorKey = { publicKey, signingKey: createPrivateKey(forge.pki.privateKeyToPem(privateKey)) };
  }
  return simulatorKey;
}

/**
 * Issues a client-authentication certificate. Every certificate carries (and is signed by) the
 * same simulator key: enough for a consumer that parses certificates and does not verify chains.
 */
export function issueCertificate(request: CertificateRequest): SimulatedCertificate {
  const { publicKey, signingKey } = simulatorKeyPair();
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = publicKey;
  certificate.serialNumber = request.serialHex;
  certificate.validity.notBefore = request.notBefore;
  certificate.validity.notAfter = request.notAfter;
  // UTF8String: PrintableString, forge's default, has no `_` (as in `QA_Root_CA`).
  const utf8 = (name: readonly NameAttribute[]) => name.map((attribute) => ({ ...attribute, valueTagClass: forge.asn1.Type.UTF8 }));
  certificate.setSubject(utf8(request.subject));
  certificate.setIssuer(utf8(request.issuer));
  certificate.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', critical: true, digitalSignature: true },
    { name: 'extKeyUsage', clientAuth: true },
  ]);
  // What forge's own `sign` does, with node:crypto computing the signature.
  certificate.signatureOid = certificate.siginfo.algorithmOid = forge.pki.oids.sha256WithRSAEncryption;
  certificate.tbsCertificate = forge.pki.getTBSCertificate(certificate);
  const tbs = Buffer.from(forge.asn1.toDer(certificate.tbsCertificate).getBytes(), 'binary');
  certificate.signature = sign('sha256', tbs, signingKey).toString('binary');
  const base64Der = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(certificate)).getBytes(), 'binary').toString('base64');
  return {
    serialNumber: BigInt(`0x${request.serialHex}`).toString(10),
    notBefore: request.notBefore,
    notAfter: request.notAfter,
    pem: `-----BEGIN CERTIFICATE-----\n${(base64Der.match(/.{1,64}/g) ?? []).join('\n')}\n-----END CERTIFICATE-----\n`,
    base64Der,
  };
}

/** A distinguished name as NAVER's `issuer` field writes it: most specific first (`CN=…, …, C=KR`). */
export function distinguishedName(name: readonly NameAttribute[]): string {
  return [...name]
    .reverse()
    .map((attribute) => `${attribute.shortName}=${attribute.value}`)
    .join(', ');
}
