import { AsyncLocalStorage } from 'node:async_hooks';

/** What every vendor call made for one GraphQL operation shares. */
export interface OperationScope {
  /** The request id logs carry. */
  requestId: string;
  /** Epoch ms after which no vendor call of the operation starts or retries. */
  deadline: number;
}

const storage = new AsyncLocalStorage<OperationScope>();

/** Runs `fn` (a whole GraphQL operation) with its scope visible to every vendor call it makes. */
export function runInOperationScope<T>(scope: OperationScope, fn: () => T): T {
  return storage.run(scope, fn);
}

/** The scope of the operation the caller runs in, if any (vendor calls outside one have no deadline). */
export function currentOperationScope(): OperationScope | undefined {
  return storage.getStore();
}
