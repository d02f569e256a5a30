import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { composeServices } from '@apollo/composition';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { parse } from 'graphql';
import { realVendorVariables } from '../../src/config.js';
import { printSubgraphSdl } from '../../src/graph/schema.js';
import type { RunningSimulators } from '../../src/simulators/index.js';
import { AUTOMOX_FIXTURES } from '../../src/simulators/automox/simulator.js';
import { VENDORS } from '../../src/vendors/vendor.js';
import type { GraphQLResponse } from './graph-harness.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** One devicegraph process started the way `npm start` starts it (`src/server.ts`), configured by its environment. */
export interface Replica {
  /** Its `/graphql` URL. */
  url: string;
  healthz(): Promise<{ status: string; sharedState: string }>;
  metrics(): Promise<string>;
  close(): Promise<void>;
}

/** The environment that points every vendor of a replica at the test's simulators, as real vendors. */
export function vendorEnvironment(running: RunningSimulators): Record<string, string> {
  if (VENDORS.some((vendor) => !running.endpoints[vendor])) throw new Error('start every vendor\'s simulator');
  return { ...realVendorVariables(running.endpoints), AUTOMOX_ORG_UUID: AUTOMOX_FIXTURES.organizationId };
}

/** Starts `count` replicas at once with the same environment. */
export function startReplicas(count: number, env: Record<string, string>): Promise<Replica[]> {
  return Promise.all(Array.from({ length: count }, () => startReplica(env)));
}

export async function startReplica(env: Record<string, string>): Promise<Replica> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', GRAPHIQL: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-4000)));
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    // Start-up logs JSON lines; the one saying where GraphQL is served carries its URL.
    lines.on('line', (line) => {
      if (!line.includes('serving GraphQL at')) return;
      const { url } = JSON.parse(line) as { url?: string };
      if (url) resolve(url);
    });
    child.once('exit', (code) => reject(new Error(`devicegraph exited with ${code} before serving:\n${stderr}`)));
  });
  const base = new URL(url);
  return {
    url,
    async healthz() {
      return (await (await fetch(new URL('/healthz', base))).json()) as { status: string; sharedState: string };
    },
    async metrics() {
      return (await fetch(new URL('/metrics', base))).text();
    },
    close: () => stop(child),
  };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/** A subgraph data source that sends each request to the next replica in turn (a router's load balancing). */
class RoundRobinDataSource extends RemoteGraphQLDataSource {
  readonly #urls: readonly string[];
  #next = 0;

  constructor(urls: readonly string[]) {
    super({ url: urls[0]! });
    this.#urls = urls;
  }

  override willSendRequest({ request }: GraphQLDataSourceProcessOptions): void {
    // The gateway sends to `request.http.url` after this hook (typed read-only, set here on purpose).
    (request.http as { url: string }).url = this.#urls[this.#next++ % this.#urls.length]!;
  }
}

/** @apollo/gateway serving devicegraph's supergraph, spreading requests over the replicas. */
export interface Gateway {
  url: string;
  query<T = any>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
  close(): Promise<void>;
}

export async function startGateway(replicaUrls: readonly string[]): Promise<Gateway> {
  const composition = composeServices([{ name: 'devicegraph', typeDefs: parse(printSubgraphSdl()), url: replicaUrls[0]! }]);
  if (composition.errors) throw new Error(composition.errors.map((error) => error.message).join('\n'));
  const gateway = new ApolloGateway({ supergraphSdl: composition.supergraphSdl, buildService: () => new RoundRobinDataSource(replicaUrls) });
  const server = new ApolloServer({ gateway });
  const { url } = await startStandaloneServer(server, { listen: { host: '127.0.0.1', port: 0 } });
  return {
    url,
    async query(query, variables) {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
      return (await response.json()) as GraphQLResponse;
    },
    close: () => server.stop(),
  };
}
