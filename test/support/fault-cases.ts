import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import {
  VendorBadResponseError,
  VendorRateLimitedError,
  VendorTimeoutError,
  VendorUnavailableError,
  type VendorError,
} from '../../src/vendors/http/errors.js';
import type { VendorConnectionOptions } from '../../src/vendors/http/vendor-http.js';
import type { Fault, Simulator } from '../../src/simulators/server.js';

/** What the helpers need of a vendor client: that it can be closed. */
export interface ClosableClient {
  close(): Promise<void>;
}

/** The connection options the helpers fill in for a client of the simulator under test. */
export type ClientConnection = Pick<VendorConnectionOptions, 'baseUrl' | 'headersTimeoutMs'>;

/** A running simulator and a client of it, kept by `useSimulatorClient` for the suite it is called in. */
export interface SimulatorClient<C extends ClosableClient> {
  readonly simulator: Simulator;
  readonly client: C;
  /** Another client of the same simulator, e.g. with a shorter timeout; whoever asks for it closes it. */
  makeClient(options?: Omit<ClientConnection, 'baseUrl'>): C;
}

/**
 * Registers, in the current suite, the hooks every vendor suite shares: `before` starts the
 * simulator and builds a client with `makeClient({ baseUrl })` (the caller spreads it into the
 * client's options, beside `SINGLE_ATTEMPT` and the credentials), `after` closes both, and
 * `afterEach` clears any fault, turns head inserts off (one record each again) and empties the call log.
 */
export function useSimulatorClient<C extends ClosableClient>(
  start: () => Promise<Simulator>,
  makeClient: (connection: ClientConnection) => C,
): SimulatorClient<C> {
  let simulator: Simulator | undefined;
  let client: C | undefined;
  const started = (): Simulator => {
    if (!simulator) throw new Error('the simulator starts in a before hook; use it from a test or a later hook');
    return simulator;
  };

  before(async () => {
    simulator = await start();
    client = makeClient({ baseUrl: simulator.url });
  });
  after(async () => {
    await client?.close();
    await simulator?.close();
  });
  afterEach(() => {
    const running = started();
    running.setFault(null);
    running.knobs.insertEveryRequests = 0;
    running.knobs.recordsPerInsert = 1;
    running.clearCalls();
  });

  return {
    get simulator() {
      return started();
    },
    get client() {
      if (!client) throw new Error('the client is built in a before hook; use it from a test or a later hook');
      return client;
    },
    makeClient: (options = {}) => makeClient({ ...options, baseUrl: started().url }),
  };
}

export interface FaultKnobOptions<C extends ClosableClient, R> {
  /** The simulator and clients the cases use, from `useSimulatorClient` in the enclosing suite. */
  vendor: SimulatorClient<C>;
  /** The one vendor call every case makes (exactly one HTTP request with `SINGLE_ATTEMPT`). */
  call: (client: C) => Promise<R>;
  /** Checks the answer `call` gives once a fault has cleared by itself. */
  recovered: (answer: R) => void;
  serverError: {
    /** The vendor code the client must read from the simulator's 500 body; not checked when absent. */
    vendorCode?: string;
    /** The same request sent by hand, without the client, and the 500 body it must be answered with. */
    wire?: { raw: () => Promise<{ status: number; body: unknown }>; body: unknown };
  };
  /** The `Retry-After` seconds the rate-limit case sends; 3 when absent. */
  retryAfterSeconds?: number;
  /** Further checks on every error the cases expect, e.g. that no credential leaked into it. */
  assertError?: (error: VendorError) => void;
}

/**
 * Registers a suite `name` with one case per simulator fault knob, each checking the typed error
 * the client turns it into and the statuses in the simulator's call log (0 for a connection that
 * was dropped or left hanging), plus a case that the client recovers once the fault clears.
 */
export function describeFaultKnobs<C extends ClosableClient, R>(name: string, options: FaultKnobOptions<C, R>): void {
  const { vendor, call, recovered, serverError, retryAfterSeconds = 3, assertError } = options;

  /** Sets `fault` on a simulator whose call log starts empty. */
  const setFault = (fault: Fault): Simulator => {
    const { simulator } = vendor;
    simulator.clearCalls();
    simulator.setFault(fault);
    return simulator;
  };
  const loggedStatuses = (): number[] => vendor.simulator.calls.map((entry) => entry.status);

  async function expectError<E extends VendorError>(answer: Promise<unknown>, type: new (...args: never[]) => E): Promise<E> {
    let caught: unknown;
    try {
      await answer;
    } catch (error) {
      caught = error;
    }
    assert.ok(caught instanceof type, `expected ${type.name}, got ${String(caught)}`);
    assertError?.(caught);
    return caught;
  }

  describe(name, () => {
    it('server-error: the vendor 500 body becomes VendorUnavailableError with status 500 and the vendor code', async () => {
      const simulator = setFault({ kind: 'server-error' });
      if (serverError.wire) {
        const { status, body } = await serverError.wire.raw();
        assert.deepEqual({ status, body }, { status: 500, body: serverError.wire.body });
        simulator.clearCalls();
      }
      const error = await expectError(call(vendor.client), VendorUnavailableError);
      assert.equal(error.status, 500);
      if (serverError.vendorCode !== undefined) assert.equal(error.vendorCode, serverError.vendorCode);
      assert.deepEqual(loggedStatuses(), [500]);
    });

    it('rate-limit: VendorRateLimitedError with status 429 and retryAfterMs from Retry-After', async () => {
      setFault({ kind: 'rate-limit', retryAfterSeconds });
      const error = await expectError(call(vendor.client), VendorRateLimitedError);
      assert.equal(error.status, 429);
      assert.equal(error.retryAfterMs, retryAfterSeconds * 1000);
      assert.deepEqual(loggedStatuses(), [429]);
    });

    it('hang: VendorTimeoutError after headersTimeoutMs, logged with status 0', async () => {
      const impatient = vendor.makeClient({ headersTimeoutMs: 200 });
      const simulator = setFault({ kind: 'hang' });
      try {
        await expectError(call(impatient), VendorTimeoutError);
      } finally {
        simulator.setFault(null);
        await impatient.close();
      }
      assert.deepEqual(loggedStatuses(), [0]);
    });

    it('malformed-json: VendorBadResponseError', async () => {
      setFault({ kind: 'malformed-json' });
      await expectError(call(vendor.client), VendorBadResponseError);
      assert.deepEqual(loggedStatuses(), [200]);
    });

    it('drop-connection: VendorUnavailableError, logged with status 0', async () => {
      setFault({ kind: 'drop-connection' });
      await expectError(call(vendor.client), VendorUnavailableError);
      assert.deepEqual(loggedStatuses(), [0]);
    });

    it('recovers once a fault clears by itself', async () => {
      setFault({ kind: 'server-error', times: 1 });
      await expectError(call(vendor.client), VendorUnavailableError);
      recovered(await call(vendor.client));
      assert.deepEqual(loggedStatuses(), [500, 200]);
    });
  });
}
