/**
 * The bench's own helper processes (`bench/simulators.ts`, `bench/floor.ts`,
 * `bench/stack-floor.ts`): forked with an IPC channel, they announce themselves ready once, then
 * answer the runner's requests one reply each. Both sides of that channel live here.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { dirname } from 'node:path';

/** What every request carries; `close` ends the child after its reply. */
export interface ChildRequest {
  type: string;
}

type Envelope<Ready, Reply> = { ready: Ready } | { id: number; reply: Reply };

/** The runner's side: one forked helper process. */
export class ForkedChild<Request extends ChildRequest, Reply, Ready> {
  readonly #child: ChildProcess;
  readonly #pending = new Map<number, (reply: Reply) => void>();
  #nextId = 1;

  private constructor(
    child: ChildProcess,
    readonly ready: Ready,
  ) {
    this.#child = child;
    child.on('message', (message: Envelope<Ready, Reply>) => {
      if (!('id' in message)) return;
      this.#pending.get(message.id)?.(message.reply);
      this.#pending.delete(message.id);
    });
  }

  /** Forks `script` through tsx and waits for its ready message. Its stdout is dropped; errors show. */
  static async start<Request extends ChildRequest, Reply, Ready>(script: string, env: Record<string, string> = {}): Promise<ForkedChild<Request, Reply, Ready>> {
    const child = fork(script, [], {
      cwd: dirname(dirname(script)),
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    const ready = await new Promise<Ready>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`${script} exited (code ${code}) before it was ready`)));
      child.on('message', (message: Envelope<Ready, Reply>) => {
        if ('ready' in message) resolve(message.ready);
      });
    });
    child.removeAllListeners('exit');
    return new ForkedChild<Request, Reply, Ready>(child, ready);
  }

  get pid(): number {
    return this.#child.pid!;
  }

  request(request: Request): Promise<Reply> {
    const id = this.#nextId++;
    return new Promise((resolve) => {
      this.#pending.set(id, resolve);
      this.#child.send({ id, request });
    });
  }

  /** Asks the child to close (`{ type: 'close' }`) and waits until it has exited. */
  async close(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.#child.once('exit', () => resolve()));
    await this.request({ type: 'close' } as Request);
    await exited;
  }

  kill(): void {
    if (this.#child.exitCode === null) this.#child.kill();
  }
}

/**
 * The helper's side: tells the runner it is `ready`, then answers each request with `answer`.
 * `close` releases what the helper holds; it runs on the `close` request and when the runner goes
 * away (finished or killed), and the process ends after it.
 */
export function serveRunner<Request extends ChildRequest, Reply>(
  ready: unknown,
  answer: (request: Request) => Promise<Reply> | Reply,
  close: () => Promise<void>,
): void {
  if (!process.send) throw new Error('this bench process is started by bench/run.ts (it needs an IPC channel)');
  let closing: Promise<void> | undefined;
  const closeOnce = () => (closing ??= close());
  process.on('message', ({ id, request }: { id: number; request: Request }) => {
    void (async () => {
      const reply = request.type === 'close' ? await closeOnce() : await answer(request);
      process.send!({ id, reply });
      if (request.type === 'close') process.disconnect();
    })();
  });
  process.on('disconnect', () => void closeOnce().finally(() => process.exit(0)));
  process.send({ ready });
}
