/**
 * The response cache's hit path as a pure unit: a stored answer is validated once and its value
 * shared, frozen, by every later hit; another way of reading the same answer validates it anew.
 * Vendor HTTP freezes every value it validates, so no caller can change what others read.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { VendorHttp } from '../../src/vendors/http/vendor-http.js';
import { MemoryStore, ResponseCache, type CachedGet } from '../../src/vendors/http/response-cache.js';
import { SharedStore } from '../../src/vendors/http/shared-store.js';

function cache(): ResponseCache {
  return new ResponseCache({
    vendor: 'KOBIL',
    account: 'account',
    store: new SharedStore(),
    memory: new MemoryStore(),
    lifetimes: { listTtlMs: 60_000, immutableTtlMs: 60_000, graceMs: 0 },
  });
}

function get<T>(parse: (body: unknown) => T, fetches: { count: number }): CachedGet<T> {
  return {
    path: '/logs?limit=2',
    rule: { kind: 'list', list: 'user' },
    fetch: async () => {
      fetches.count += 1;
      return { body: { items: [1, 2] }, bytes: 15 };
    },
    parse,
    staleOn: () => false,
    deadline: undefined,
  };
}

describe('ResponseCache hits', () => {
  it('validate a stored answer once and hand every hit the same value', async () => {
    const responses = cache();
    const fetches = { count: 0 };
    let parses = 0;
    const parse = (body: unknown) => {
      parses += 1;
      return Object.freeze({ ...(body as { items: number[] }) });
    };
    const first = await responses.get(get(parse, fetches));
    const second = await responses.get(get(parse, fetches));
    const third = await responses.get(get(parse, fetches));
    assert.equal(fetches.count, 1, 'one vendor call');
    assert.equal(parses, 1, 'validated when fetched, not on the hits');
    assert.equal(second, first);
    assert.equal(third, first);
  });

  it('validate the stored answer again for another parse of it', async () => {
    const responses = cache();
    const fetches = { count: 0 };
    const first = await responses.get(get((body) => (body as { items: number[] }).items.length, fetches));
    const other = await responses.get(get((body) => (body as { items: number[] }).items.join(','), fetches));
    assert.equal(fetches.count, 1);
    assert.equal(first, 2);
    assert.equal(other, '1,2');
  });
});

describe('VendorHttp.parse', () => {
  it('freezes the validated value through and through', async () => {
    const http = new VendorHttp('KOBIL', { baseUrl: 'http://127.0.0.1:9' }, { maxResponseBytes: 1024 });
    try {
      const value = http.parse(z.object({ page: z.object({ items: z.array(z.object({ id: z.string() })) }) }), { page: { items: [{ id: 'a' }] } });
      assert.ok(Object.isFrozen(value) && Object.isFrozen(value.page) && Object.isFrozen(value.page.items) && Object.isFrozen(value.page.items[0]));
      assert.throws(() => {
        (value.page.items[0] as { id: string }).id = 'b';
      }, TypeError);
    } finally {
      await http.close();
    }
  });
});
