import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalKey } from '../../src/graph/loaders/vendor-loader.js';

describe('canonicalKey', () => {
  it('writes an object with its keys sorted and its undefined fields left out, as JSON', () => {
    const key = { pageSize: 21, iccid: '89011704278930000137', after: undefined, daysOfHistory: 30, last: null, deep: false };
    assert.equal(canonicalKey(key), '{"daysOfHistory":30,"deep":false,"iccid":"89011704278930000137","last":null,"pageSize":21}');
    assert.equal(canonicalKey({ deep: false, last: null, daysOfHistory: 30, iccid: '89011704278930000137', pageSize: 21 }), canonicalKey(key));
  });

  it('tells apart what JSON tells apart, escapes included', () => {
    const keys = [{ a: null }, { a: 'null' }, { a: 0 }, { a: '0' }, { a: false }, {}, { a: '"' }, { 'a"': '' }, { a: 'x', b: 'y' }, { a: 'x,"b":"y"' }];
    const texts = keys.map(canonicalKey);
    assert.equal(new Set(texts).size, keys.length);
    for (const [index, key] of keys.entries()) assert.deepEqual(JSON.parse(texts[index]!), JSON.parse(JSON.stringify(key)));
  });

  it('sorts nested objects too, and keeps arrays in order', () => {
    const key = { sort: 'run_time:desc', resultStatuses: ['failed', 'success'], filter: { z: 1, a: [{ d: 1, c: 2 }] } };
    assert.equal(canonicalKey(key), '{"filter":{"a":[{"c":2,"d":1}],"z":1},"resultStatuses":["failed","success"],"sort":"run_time:desc"}');
  });

  it('writes other values as JSON does', () => {
    assert.equal(canonicalKey('text'), '"text"');
    assert.equal(canonicalKey([2, 1]), '[2,1]');
    assert.equal(canonicalKey(new Date('2026-01-02T03:04:05Z')), '"2026-01-02T03:04:05.000Z"');
  });
});
