import { hash, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { memoize } from '../../memoize.js';
import type { VendorName } from '../vendor.js';
import type { SharedStore } from './shared-store.js';

/**
 * How long one endpoint's answers may be reused, as its client knows the endpoint: an immutable
 * document (an Applivery history item), or a page of a list that grows at its head, named so that
 * every page of one list shares the list's snapshot order; `settled` tells of a page that
 * will not change any more (a finished Automox execution).
 */
export type CacheRule<T> = { kind: 'immutable' } | { kind: 'list'; list: string; settled?: (data: T) => boolean };

/** Lifetimes of a vendor's cached answers. */
export interface CacheLifetimes {
  /** How long a page of a list growing at its head is served from the cache; 0 = not cached (only coalesced). */
  listTtlMs: number;
  /** How long an immutable answer is served from the cache. */
  immutableTtlMs: number;
  /** How long past its freshness an answer may still stand in for a vendor that fails. */
  graceMs: number;
}

export type CacheOutcome = 'hit' | 'miss' | 'stale';

/** What the cache tells metrics. */
export interface CacheObserver {
  /** An answer served from the cache (`hit`, `stale` for a vendor failure) or fetched (`miss`). */
  cache?(vendor: VendorName, outcome: CacheOutcome): void;
  /** A call that joined an identical one in flight, in this replica or in another. */
  coalesced?(vendor: VendorName, where: 'replica' | 'shared'): void;
}

/** One cached answer as stored: the vendor's validated body and when it was fetched. */
interface Entry {
  /** The body, as parsed from the vendor's JSON. */
  b: unknown;
  /** Fetched at (epoch ms), on the fetching replica's clock. */
  at: number;
  /** Fresh until (epoch ms). */
  fresh: number;
  /** Whether the answer never changes (no list snapshot order applies). */
  imm: boolean;
  /** Id of the fetch that wrote it: replicas waiting for that fetch take exactly its answer. */
  f: string;
}

/** Most bytes of answers one replica keeps in memory (least recently used go first). */
const MEMORY_BYTES = 64 * 1024 * 1024;
/** How long a replica holds the right to fetch a key before others may try. */
const FETCH_LOCK_MS = 5_000;
/** How long an answer fetched for waiting replicas stays readable when its list is not cached. */
const HANDOFF_MS = 2_000;

/** Most store keys a cache remembers the hash of. */
const MAX_KNOWN_KEYS = 10_000;

/** Deletes a fetch lock only if it is still the caller's. */
const RELEASE_LOCK = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/**
 * A replica's in-memory store of answers and list snapshot times, shared by every vendor, bounded
 * by bytes (least recently used first out).
 */
export class MemoryStore {
  readonly #maxBytes: number;
  readonly #entries = new Map<string, { entry: Entry; bytes: number }>();
  /** Newest snapshot time seen per list; a few bytes each, dropped with the oldest when full. */
  readonly #epochs = new Map<string, number>();
  #bytes = 0;

  constructor(maxBytes = MEMORY_BYTES) {
    this.#maxBytes = maxBytes;
  }

  get(key: string): Entry | undefined {
    const found = this.#entries.get(key);
    if (!found) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, found);
    return found.entry;
  }

  set(key: string, entry: Entry, bytes: number): void {
    this.delete(key);
    if (bytes > this.#maxBytes) return;
    this.#entries.set(key, { entry, bytes });
    this.#bytes += bytes;
    for (const [oldest, { bytes: size }] of this.#entries) {
      if (this.#bytes <= this.#maxBytes) break;
      this.#entries.delete(oldest);
      this.#bytes -= size;
    }
  }

  delete(key: string): void {
    const found = this.#entries.get(key);
    if (!found) return;
    this.#entries.delete(key);
    this.#bytes -= found.bytes;
  }

  epoch(list: string): number {
    return this.#epochs.get(list) ?? 0;
  }

  /** Remembers a list's snapshot time if it is the newest seen. */
  advance(list: string, at: number): void {
    if (at <= this.epoch(list)) return;
    this.#epochs.delete(list);
    this.#epochs.set(list, at);
    if (this.#epochs.size > 100_000) this.#epochs.delete(this.#epochs.keys().next().value!);
  }
}

/** One GET as the cache sees it. */
export interface CachedGet<T> {
  /** The path with its query, exactly as sent. */
  path: string;
  rule: CacheRule<T>;
  /** Calls the vendor; resolves with the body and its size as received. */
  fetch: () => Promise<{ body: unknown; bytes: number }>;
  /**
   * Validates a body (fetched or cached); throws for one that is not the documented shape. Its
   * value is kept with the stored answer and handed to every caller that passes the same `parse`,
   * so it must not be changed (VendorHttp freezes it).
   */
  parse: (body: unknown) => T;
  /** Whether a failure may be answered with a stale entry (the vendor failed, rather than refused). */
  staleOn: (error: unknown) => boolean;
  /** Epoch ms past which no one waits for another replica's fetch. */
  deadline: number | undefined;
}

export interface ResponseCacheOptions {
  vendor: VendorName;
  /** A hash of the credential identity: two accounts never share an entry. */
  account: string;
  store: SharedStore;
  memory: MemoryStore;
  lifetimes: CacheLifetimes;
  observer?: CacheObserver | undefined;
}

interface Flight {
  promise: Promise<unknown>;
  startedAt: number;
}

/**
 * A vendor's response cache: identical GETs in flight share one call (in the replica, and across
 * replicas through a Redis lock whose holder's answer the others wait for), answers are reused
 * for as long as their endpoint allows, and a failing vendor is answered from an entry within
 * its grace period. Errors are never stored.
 *
 * Pages of a list that grows at its head are snapshots: each answer must be at least as new as
 * any answer of that list handed out before, or a reader paging on would skip the records
 * inserted between the two. So every list keeps the time of its newest stored answer, and an
 * older entry (or a call that started before it) is not used.
 */
export class ResponseCache {
  readonly #options: ResponseCacheOptions;
  readonly #flights = new Map<string, Flight>();
  /** Store keys by kind (`r` or `l`) and then path, so a path asked for again is not hashed again. */
  readonly #keys = memoize((kindAndText) => {
    const { vendor, account } = this.#options;
    return `dg:${kindAndText[0]}:${vendor}:${account}:${hash('sha256', kindAndText.slice(1), 'base64url').slice(0, 32)}`;
  }, MAX_KNOWN_KEYS);
  /** Each stored answer's validated value, so a hit validates nothing again. */
  readonly #values = new WeakMap<Entry, { parse: (body: unknown) => unknown; value: unknown }>();

  constructor(options: ResponseCacheOptions) {
    this.#options = options;
  }

  async get<T>(request: CachedGet<T>): Promise<T> {
    const { vendor, memory, observer } = this.#options;
    const key = this.#key('r', request.path);
    const list = request.rule.kind === 'list' ? this.#key('l', request.rule.list) : undefined;
    const flight = this.#flights.get(key);
    if (flight && (list === undefined || flight.startedAt >= memory.epoch(list))) {
      observer?.coalesced?.(vendor, 'replica');
      return (await flight.promise) as T;
    }
    // Registered before the first await, so identical calls arriving meanwhile join this one.
    const mine = { promise: this.#load(key, list, request), startedAt: Date.now() };
    this.#flights.set(key, mine);
    try {
      return await mine.promise;
    } finally {
      if (this.#flights.get(key) === mine) this.#flights.delete(key);
    }
  }

  /** A fresh stored answer, else the vendor's (or another replica's) answer, else a stale one if the vendor failed. */
  async #load<T>(key: string, list: string | undefined, request: CachedGet<T>): Promise<T> {
    const { vendor, observer, lifetimes } = this.#options;
    const previous = await this.#lookup(key, list);
    if (previous && Date.now() < previous.fresh && this.#current(previous, list)) {
      observer?.cache?.(vendor, 'hit');
      return this.#value(previous, request);
    }
    try {
      return await this.#fetchOnce(key, list, request);
    } catch (error) {
      if (previous && request.staleOn(error) && Date.now() < previous.fresh + lifetimes.graceMs) {
        observer?.cache?.(vendor, 'stale');
        return this.#value(previous, request);
      }
      throw error;
    }
  }

  /** The entry's body as `request.parse` reads it, validated once per entry. */
  #value<T>(entry: Entry, request: CachedGet<T>): T {
    const known = this.#values.get(entry);
    if (known?.parse === request.parse) return known.value as T;
    const value = request.parse(entry.b);
    this.#values.set(entry, { parse: request.parse, value });
    return value;
  }

  #key(kind: 'r' | 'l', text: string): string {
    return this.#keys(kind + text);
  }

  /** Whether an entry is as new as its list's newest answer (immutable ones always are). */
  #current(entry: Entry, list: string | undefined): boolean {
    return entry.imm || list === undefined || entry.at >= this.#options.memory.epoch(list);
  }

  /** The stored entry (from Redis while shared, else from memory), learning its list's snapshot time on the way. */
  async #lookup(key: string, list: string | undefined): Promise<Entry | undefined> {
    const { store, memory } = this.#options;
    const local = memory.get(key);
    if (local?.imm) return local;
    const shared = await store.run((redis) => (list === undefined ? redis.mget(key) : redis.mget(key, list)));
    if (!shared) return local;
    const [text, epoch] = shared;
    if (list !== undefined && epoch) memory.advance(list, Number(epoch));
    const entry = text ? (JSON.parse(text) as Entry) : undefined;
    // The answer of the same fetch as the one in memory: that one, with its validated value.
    if (entry && entry.f === local?.f) return local;
    // Kept in memory too: immutable ones are read from there next time, the others if Redis fails.
    if (entry) memory.set(key, entry, text!.length);
    return entry;
  }

  /** Across replicas: one holds the key's fetch lock and calls the vendor; the others wait for its answer. */
  async #fetchOnce<T>(key: string, list: string | undefined, request: CachedGet<T>): Promise<T> {
    const { store, vendor, observer } = this.#options;
    const lock = `${key}:fetching`;
    for (;;) {
      const fetchId = randomUUID();
      const holder = await store.run((redis) => redis.set(lock, fetchId, 'PX', FETCH_LOCK_MS, 'NX', 'GET'));
      if (holder === undefined) return this.#fetch(key, list, request, fetchId);
      if (holder === null) {
        try {
          return await this.#fetch(key, list, request, fetchId);
        } finally {
          await store.run((redis) => redis.eval(RELEASE_LOCK, 1, lock, fetchId));
        }
      }
      const answer = await this.#awaitFetch(key, lock, holder, request.deadline);
      if (answer) {
        observer?.coalesced?.(vendor, 'shared');
        return this.#value(answer, request);
      }
      if (request.deadline !== undefined && Date.now() >= request.deadline) return this.#fetch(key, list, request, fetchId);
    }
  }

  /** Polls until the lock holder `holder` is done: its answer, or `undefined` when it failed or took too long. */
  async #awaitFetch(key: string, lock: string, holder: string, deadline: number | undefined): Promise<Entry | undefined> {
    const { store } = this.#options;
    const giveUp = Math.min(deadline ?? Infinity, Date.now() + FETCH_LOCK_MS);
    for (let pause = 2; Date.now() < giveUp; pause = Math.min(pause * 2, 25)) {
      await sleep(pause);
      const seen = await store.run((redis) => redis.mget(key, lock));
      if (!seen) return undefined;
      const [text, current] = seen;
      if (current === holder) continue;
      const entry = text ? (JSON.parse(text) as Entry) : undefined;
      return entry?.f === holder ? entry : undefined;
    }
    return undefined;
  }

  /**
   * Calls the vendor, validates the answer and stores it (never an error). The answer is handed
   * out without waiting for Redis: the write is sent before it (so the next command on the
   * connection, such as the fetch lock's release, finds it stored), and a failed write degrades
   * the store as any failed command does.
   */
  async #fetch<T>(key: string, list: string | undefined, request: CachedGet<T>, fetchId: string): Promise<T> {
    const { vendor, observer, lifetimes, memory, store } = this.#options;
    observer?.cache?.(vendor, 'miss');
    const { body, bytes } = await request.fetch();
    const data = request.parse(body);
    const at = Date.now();
    const immutable = request.rule.kind === 'immutable' || (request.rule.settled?.(data) ?? false);
    const ttl = immutable ? lifetimes.immutableTtlMs : lifetimes.listTtlMs;
    const entry: Entry = { b: body, at, fresh: at + ttl, imm: immutable, f: fetchId };
    this.#values.set(entry, { parse: request.parse, value: data });
    const keepMs = Math.max(ttl, HANDOFF_MS) + lifetimes.graceMs;
    // Sized by the body as received: the entry's JSON would be that and a few fields.
    memory.set(key, entry, bytes);
    if (list !== undefined) memory.advance(list, at);
    void store.run((redis) => {
      const write = redis.multi().set(key, JSON.stringify(entry), 'PX', keepMs);
      if (list !== undefined) write.set(list, String(at), 'PX', keepMs);
      return write.exec();
    });
    return data;
  }
}
