import { AsyncLocalStorage } from 'node:async_hooks';
import { setMaxListeners } from 'node:events';

/** What every vendor call made for one GraphQL operation shares. */
export interface OperationScope {
  /** The request id logs carry. */
  requestId: string;
  /** Epoch ms after which no vendor call of the operation starts or retries. */
  deadline: number;
  /** The most vendor calls the operation may make (a call and its retries count once); no cap when absent. */
  maxVendorCalls?: number;
}

const storage = new AsyncLocalStorage<OperationScope>();
const callsMade = new WeakMap<OperationScope, number>();
const deadlineSignals = new WeakMap<OperationScope, AbortSignal>();

/** Runs `fn` (a whole GraphQL operation) with its scope visible to every vendor call it makes. */
export function runInOperationScope<T>(scope: OperationScope, fn: () => T): T {
  return storage.run(scope, fn);
}

/** The scope of the operation the caller runs in, if any (vendor calls outside one have no deadline). */
export function currentOperationScope(): OperationScope | undefined {
  return storage.getStore();
}

/** Counts one vendor call against the operation's cap; `false` (and nothing counted) when the cap is reached. */
export function takeVendorCall(scope: OperationScope): boolean {
  const made = callsMade.get(scope) ?? 0;
  if (scope.maxVendorCalls !== undefined && made >= scope.maxVendorCalls) return false;
  callsMade.set(scope, made + 1);
  return true;
}


/** A signal that aborts at the operation's deadline: one timer for all of its vendor calls, not one per call. */
export function deadlineSignal(scope: OperationScope): AbortSignal {
  let signal = deadlineSignals.get(scope);
  if (!signal) {
    signal = AbortSignal.timeout(Math.max(1, scope.deadline - Date.now()));
    // Each of the operation's calls in flight listens until it ends: as many as its connections, no leak.
    setMaxListeners(0, signal);
    deadlineSignals.set(scope, signal);
  }
  return signal;
}
