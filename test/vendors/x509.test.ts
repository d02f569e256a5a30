import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseX509 } from '../../src/vendors/x509.js';

// Made with `openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -days 3650 -set_serial 0x0a1b2c3d4e5f
// -subj "/C=KR/O=Example, Inc./OU=Devices/CN=device-01.example.com"`; the expected values are what
// `openssl x509 -noout -subject -serial -dates -fingerprint -sha256 -nameopt RFC2253` printed for it.
const PEM = `-----BEGIN CERTIFICATE-----
MIIB9TCCAZugAwIBAgIGChssPU5fMAoGCCqGSM49BAMCMFcxCzAJBgNVBAYTAktS
MRYwFAYDVQQKDA1FeGFtcGxlLCBJbmMuMRAwDgYDVQQLDAdEZXZpY2VzMR4wHAYD
VQQDDBVkZXZpY2UtMDEuZXhhbXBsZS5jb20wHhcNMjYxMTIzMTg0OTEyWhcNMzYx
MTIwMTg0OTEyWjBXMQswCQYDVQQGEwJLUjEWMBQGA1UECgwNRXhhbXBsZSwgSW5j
LjEQMA4GA1UECwwHRGV2aWNlczEeMBwGA1UEAwwVZGV2aWNlLTAxLmV4YW1wbGUu
Y29tMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEcOK9fuO8q1eRtvE4sZnVpEVf
P9S/w8MjCZ9rbkgTUcyRkuEg0+niBQ4mK0P2TwiIjYSRbeh/PheYTk0d6rM8O6NT
MFEwHQYDVR0OBBYEFE45LK6PQnZq5dF8uQangn7FkTzKMB8GA1UdIwQYMBaAFE45
LK6PQnZq5dF8uQangn7FkTzKMA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwID
SAAwRQIhAIHDD2gAiRQgf5zYFDbOsK0PplKoW26fyaOQJKQVCGalAiAbizjFZrij
YsevnMSOOYzENbBU6YzVjc8kM+KR9oFP0A==
-----END CERTIFICATE-----
`;

const EXPECTED = {
  subject: 'CN=device-01.example.com, OU=Devices, O=Example\\, Inc., C=KR',
  issuer: 'CN=device-01.example.com, OU=Devices, O=Example\\, Inc., C=KR',
  serialNumber: '0A1B2C3D4E5F',
  notBefore: new Date('2026-11-23T18:49:12Z'),
  notAfter: new Date('2036-11-20T18:49:12Z'),
  sha256Fingerprint: 'FB:95:B0:2E:96:62:0A:6D:53:CB:5F:CF:2F:E2:2D:90:80:02:22:60:3C:7C:B4:B5:1A:E4:6F:98:E5:86:EE:FC',
};

const BASE64_LINES = PEM.split('\n').filter((line) => line && !line.startsWith('-----'));

describe('parseX509', () => {
  it('reads a PEM certificate: names most specific first, hex serial, dates, SHA-256 fingerprint', () => {
    assert.deepEqual(parseX509(PEM), EXPECTED);
  });

  it('reads base64 DER, on one line or broken into lines', () => {
    assert.deepEqual(parseX509(BASE64_LINES.join('')), EXPECTED);
    assert.deepEqual(parseX509(BASE64_LINES.join('\r\n')), EXPECTED);
  });

  it('reads the first certificate of PEM text with CRLF line ends and text around it', () => {
    const text = `Certificate of device-01\r\n${PEM.replaceAll('\n', '\r\n')}${PEM}trailing notes`;
    assert.deepEqual(parseX509(text), EXPECTED);
  });

  it('returns null for anything that is not a certificate', () => {
    const truncatedDer = BASE64_LINES.join('').slice(0, 200);
    const garbledPem = PEM.replace(BASE64_LINES[3] as string, 'A'.repeat(64));
    for (const data of ['', '   ', 'not a certificate', 'aGVsbG8gd29ybGQ=', truncatedDer, garbledPem, '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----']) {
      assert.equal(parseX509(data), null, JSON.stringify(data.slice(0, 40)));
    }
  });
});
