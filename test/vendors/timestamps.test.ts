/** Vendor timestamps as a pure unit: every form read, normalized or as sent, to the same instant. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isoStringOf, parseIsoTimestamp } from '../../src/vendors/timestamps.js';

describe('parseIsoTimestamp', () => {
  it('reads each accepted form to its instant', () => {
    const cases: Array<[string, string]> = [
      ['2025-06-15T10:20:30Z', '2025-06-15T10:20:30.000Z'],
      ['2025-06-15T10:20:30.123Z', '2025-06-15T10:20:30.123Z'],
      ['2025-06-15T10:20:30.123+0000', '2025-06-15T10:20:30.123Z'],
      ['2025-06-15T10:20:30.123+00:00', '2025-06-15T10:20:30.123Z'],
      ['2025-02-30T10:20:30.123+0000', '2025-03-02T10:20:30.123Z'],
      ['2025-06-15T24:00:00.000+0000', '2025-06-16T00:00:00.000Z'],
      ['2025-06-15T10:20Z', '2025-06-15T10:20:00.000Z'],
      ['2025-06-15t10:20:30z', '2025-06-15T10:20:30.000Z'],
      ['2025-06-15T19:20:30+09:00', '2025-06-15T10:20:30.000Z'],
      ['2025-06-15T19:20:30+0900', '2025-06-15T10:20:30.000Z'],
      ['2025-06-15 10:20:30Z', '2025-06-15T10:20:30.000Z'],
      ['2025-06-15T10:20:30.123456789Z', '2025-06-15T10:20:30.123Z'],
      ['2025-06-15T05:20:30.5-05:00', '2025-06-15T10:20:30.500Z'],
      [' 2025-06-15T10:20:30Z ', '2025-06-15T10:20:30.000Z'],
    ];
    for (const [text, instant] of cases) assert.equal(parseIsoTimestamp(text)?.toISOString(), instant, text);
  });

  it('refuses what is not an ISO-8601 timestamp or no real instant', () => {
    for (const text of ['', '15/06/2025', '2025-06-15', '2025-06-15T10:20:30', '2025-13-01T00:00:00Z', '2025-06-15T10:20:30+9:00', '2025-06-15T10:20:30.Z']) {
      assert.equal(parseIsoTimestamp(text), undefined, text);
    }
  });
});

describe('isoStringOf', () => {
  it("is the parsed date's toISOString, whether read off the text sent or asked of the date", () => {
    const sent = [
      '2025-06-15T10:20:30.123Z', '2025-06-15T10:20:30.123+0000', '2025-06-15T10:20:30.123+00:00', '0001-01-01T00:00:00.000+0000',
      '2025-02-28T23:59:59.999+0000', '2025-02-29T10:00:00.000+0000', '2024-02-29T10:00:00.000Z', '2025-04-31T10:00:00.000+0000',
      '2025-06-15T24:00:00.000+0000', '2025-06-15T19:20:30.123+0900', '2025-06-15T10:20:30Z', ' 2025-06-15T10:20:30.123Z ',
    ];
    for (const text of sent) {
      const date = parseIsoTimestamp(text)!;
      assert.equal(isoStringOf(date, text), date.toISOString(), text);
    }
  });
});
