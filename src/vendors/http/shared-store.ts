import { Redis } from 'ioredis';

/**
 * Where replicas keep what they share (vendor-response cache, in-flight locks, rate budgets,
 * cooldowns): `shared` in Redis; `degraded` while Redis is configured but failing (each replica
 * then works alone until Redis answers again); `local` when no Redis is configured.
 */
export type SharedState = 'local' | 'shared' | 'degraded';

export interface SharedStoreOptions {
  /** `redis://…` or `rediss://…`; none keeps everything in-process. */
  url?: string | undefined;
  /** A Redis command not answered within this fails and degrades the store (default 50 ms). */
  commandTimeoutMs?: number;
  /** How often a degraded store checks whether Redis is back (default 500 ms). */
  probeIntervalMs?: number;
  /** Told about every change of state and every failed command. */
  onStateChange?: (state: SharedState) => void;
  onFailure?: () => void;
}

/**
 * One Redis connection shared by every vendor of a replica, kept from ever slowing a request
 * down: no offline queue (a command while disconnected fails at once), short command timeouts,
 * and after the first failure no command at all until a background PING succeeds again.
 */
export class SharedStore {
  readonly #redis: Redis | undefined;
  readonly #probeIntervalMs: number;
  readonly #onStateChange: ((state: SharedState) => void) | undefined;
  readonly #onFailure: (() => void) | undefined;
  #state: SharedState;
  #probe: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: SharedStoreOptions = {}) {
    this.#probeIntervalMs = options.probeIntervalMs ?? 500;
    this.#onStateChange = options.onStateChange;
    this.#onFailure = options.onFailure;
    if (!options.url) {
      this.#state = 'local';
      return;
    }
    this.#state = 'degraded';
    this.#redis = new Redis(options.url, {
      enableOfflineQueue: false,
      commandTimeout: options.commandTimeoutMs ?? 50,
      connectTimeout: 1_000,
      maxRetriesPerRequest: 0,
      // Reconnect for ever, at a steady pace: Redis coming back must be noticed.
      retryStrategy: () => this.#probeIntervalMs,
      lazyConnect: true,
    });
    // Connection errors are expected while Redis is away; the state says so, the log need not.
    this.#redis.on('error', () => {});
    this.#redis.on('ready', () => void this.#check());
    this.#redis.on('close', () => this.#degrade());
  }

  get state(): SharedState {
    return this.#state;
  }

  /** Connects when Redis is configured; resolves within about a second whether or not Redis answered. */
  async connect(): Promise<void> {
    if (!this.#redis) return;
    try {
      await this.#redis.connect();
      await this.#check();
    } catch {
      this.#degrade();
    }
  }

  /**
   * Runs `command` against Redis when the store is shared; `undefined` when it is not or the
   * command failed (the store is then degraded, and the caller goes on in-process).
   */
  async run<T>(command: (redis: Redis) => Promise<T>): Promise<T | undefined> {
    if (this.#state !== 'shared' || !this.#redis) return undefined;
    try {
      return await command(this.#redis);
    } catch {
      this.#onFailure?.();
      this.#degrade();
      return undefined;
    }
  }

  /** The Redis connection, for libraries that take one; use it only while `state` is `shared`. */
  get redis(): Redis | undefined {
    return this.#redis;
  }

  /** Reports a failure seen by a library that used `redis`: the store degrades as if `run` had failed. */
  failed(): void {
    this.#onFailure?.();
    this.#degrade();
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#probe);
    if (this.#redis) this.#redis.disconnect();
  }

  #set(state: SharedState): void {
    if (this.#state === state) return;
    this.#state = state;
    this.#onStateChange?.(state);
  }

  #degrade(): void {
    if (!this.#redis || this.#closed) return;
    this.#set('degraded');
    if (this.#probe === undefined) this.#probe = setTimeout(() => void this.#check(), this.#probeIntervalMs).unref();
  }

  /** One PING: shared again when it answers in time, else another try after the probe interval. */
  async #check(): Promise<void> {
    clearTimeout(this.#probe);
    this.#probe = undefined;
    if (!this.#redis || this.#closed) return;
    try {
      await this.#redis.ping();
      this.#set('shared');
    } catch {
      this.#degrade();
    }
  }
}
