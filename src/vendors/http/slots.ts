/** Gives a slot back; calling it again does nothing. */
export type ReleaseSlot = () => void;

/**
 * A counting semaphore whose waiters are served first come, first served, each waiting no later
 * than its deadline. Vendor HTTP takes slots before it sends a request, so devicegraph's own
 * queueing happens here, where its time is known, and never inside the connection pool.
 */
export class Slots {
  readonly size: number;
  #taken = 0;
  readonly #waiting: Array<(release: ReleaseSlot) => void> = [];

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`Slots: size must be a positive integer, not ${size}`);
    this.size = size;
  }

  /** Slots in use. */
  get taken(): number {
    return this.#taken;
  }

  /** Callers waiting for a slot. */
  get waiting(): number {
    return this.#waiting.length;
  }

  /**
   * Takes a slot, waiting in turn while all are taken. Resolves to the slot's release, or to
   * `null` when `deadline` (epoch ms) comes first; without a deadline it waits as long as it takes.
   */
  take(deadline?: number): Promise<ReleaseSlot | null> {
    if (this.#taken < this.size && this.#waiting.length === 0) {
      this.#taken += 1;
      return Promise.resolve(this.#release());
    }
    if (deadline !== undefined && Date.now() >= deadline) return Promise.resolve(null);
    return new Promise((resolve) => {
      const grant = (release: ReleaseSlot) => {
        clearTimeout(timer);
        resolve(release);
      };
      this.#waiting.push(grant);
      const timer =
        deadline === undefined
          ? undefined
          : setTimeout(() => {
              const at = this.#waiting.indexOf(grant);
              if (at >= 0) this.#waiting.splice(at, 1);
              resolve(null);
            }, deadline - Date.now());
    });
  }

  /** A release for one taken slot: hands it to the next waiter, if any, else frees it. */
  #release(): ReleaseSlot {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiting.shift();
      if (next) next(this.#release());
      else this.#taken -= 1;
    };
  }
}
