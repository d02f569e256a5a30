/** Redaction of vendor text before it is logged, as pure units (the attack over HTTP is in test/hostile-vendors.test.ts). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isPlainVendorCode, MAX_VENDOR_TEXT, REDACTED, redactVendorText } from '../../src/vendors/http/redact.js';

const API_KEY = 'f81d4fae-7dec-11d0-a765-00a0c91e6bf6';
const USER = 'devicegraph-ops';
const SECRET = 's3cr3t/with+symbols=';
const secrets = [API_KEY, USER, SECRET];

describe('redactVendorText', () => {
  const leaks: Array<[string, string, string[]]> = [
    ['a configured secret as is', `key ${API_KEY} refused`, [API_KEY]],
    ['URL-encoded', `GET /x?k=${encodeURIComponent(SECRET)}`, [SECRET, encodeURIComponent(SECRET)]],
    ['base64', `got ${Buffer.from(SECRET).toString('base64')}`, [Buffer.from(SECRET).toString('base64')]],
    ['a Basic value (base64 of user:key), quoted in JSON', `{"authorization":"Basic ${Buffer.from(`${USER}:${API_KEY}`).toString('base64')}"}`, [Buffer.from(`${USER}:${API_KEY}`).toString('base64')]],
    ['a Bearer value of another party', 'Authorization: Bearer abc123.DEF-456_ghi', ['abc123.DEF-456_ghi']],
    ['a signature header value', 'x-ncp-apigw-signature-v2: WTPcIzLlq3fd8T6vs1pwT9ZKHWtq', ['WTPcIzLlq3fd8T6vs1pwT9ZKHWtq']],
    ['a query token', 'callback?access_token=ya29.a0AfH6SM&x=1', ['ya29.a0AfH6SM']],
    ['a JSON api key', '{"apiKey": "k-77aa", "password":"hunter2"}', ['k-77aa', 'hunter2']],
    ['a JWT', 'token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl expired', ['eyJhbGciOiJIUzI1NiJ9']],
    ['a long opaque run (a digest or key)', 'sig 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 bad', ['9f86d081884c7d659a2feaa0c55ad015']],
  ];
  for (const [name, text, hidden] of leaks) {
    it(`${name}: replaced`, () => {
      const redacted = redactVendorText(text, secrets);
      for (const part of hidden) assert.ok(!redacted.includes(part), `${JSON.stringify(part)} left in ${JSON.stringify(redacted)}`);
      assert.ok(redacted.includes(REDACTED), redacted);
    });
  }

  const kept = [
    'Invalid pageSize.',
    'Resource not found - Invalid ICCID 89011704278930000137.',
    'Basic authentication failed',
    'User does not exist',
    'Policy c2dea79b-3f4e-4a51-9b0c-c162618da17d not found',
    'limit must be an integer from 1 to 5000',
  ];
  for (const text of kept) {
    it(`ordinary vendor text is kept: ${JSON.stringify(text)}`, () => assert.equal(redactVendorText(text, secrets), text));
  }

  it(`is cut to ${MAX_VENDOR_TEXT} characters, after redaction`, () => {
    const redacted = redactVendorText(`${'word '.repeat(1000)}`, secrets);
    assert.equal(redacted.length, MAX_VENDOR_TEXT + 1, 'the text and an ellipsis');
  });

  it('a secret cut by the end of what is read leaves no part of it, even after earlier redactions shrank the text', () => {
    // The first value shrinks to [redacted], pulling what follows to the front.
    const text = `token=${'a'.repeat(1188)} ${API_KEY} and more`;
    const redacted = redactVendorText(text, secrets);
    assert.ok(!redacted.includes(API_KEY.slice(0, 6)), redacted);
  });

  it('short secrets are not searched for (they would match ordinary words)', () => {
    assert.equal(redactVendorText('an id of abc', ['abc']), 'an id of abc');
  });
});

describe('isPlainVendorCode', () => {
  for (const code of ['10000001', 'USER_NOT_FOUND', '4004', 'Unauthorized']) {
    it(`${code}: shown`, () => assert.equal(isPlainVendorCode(code, secrets), true));
  }
  for (const code of [API_KEY, 'Basic dXNlcjprZXk=', '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b', 'x'.repeat(65), '']) {
    it(`${JSON.stringify(code.slice(0, 20))}…: not shown`, () => assert.equal(isPlainVendorCode(code, secrets), false));
  }
});
