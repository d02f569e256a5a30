/**
 * The production path end to end, as the Dockerfile takes it (no container engine here, so its
 * steps are reproduced): `npm run build` into a temporary directory, a clean runtime-only install
 * beside it (`npm ci --omit=dev`, from npm's cache where it can), then `node dist/server.js` with
 * NODE_ENV=production and every vendor configured as real, pointed at simulators this test starts.
 * It answers, it drains on SIGTERM (the request in flight gets its full answer, /readyz is 503
 * meanwhile, exit code 0), its traces reach an OTLP endpoint, and every misconfiguration stops it
 * with one line and exit code 1 instead of serving a simulator's data.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from 'undici';
import { realVendorVariables } from '../src/config.js';
import { startSimulators, type RunningSimulators } from '../src/simulators/index.js';
import { VENDORS } from '../src/vendors/vendor.js';
import { ALL_VENDORS, FIELDS, kobilUser } from './support/all-vendors.js';

const ROOT = join(import.meta.dirname, '..');
const KOBIL_QUERY = `{ kobilUser(userName: "${kobilUser}") { userName activity(first: 2) { edges { cursor } } } }`;

let dir: string;
let simulators: RunningSimulators;

/** Runs a command to its end; fails the test with its output when it fails. */
function run(command: string, args: string[], cwd: string): void {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: process.env.HOME } });
  assert.equal(result.status, 0, `${command} ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
}

/** Every vendor called for real, at this test's simulators, with the credentials they accept. */
function realVendors(): Record<string, string> {
  return { ...realVendorVariables(simulators.endpoints), AUTOMOX_ORG_UUID: simulators.automoxDefaultOrgId! };
}

/** A process of the installed build, its stdout read as JSON log lines. */
class Started {
  readonly lines: Array<Record<string, any>> = [];
  readonly stdout: string[] = [];
  readonly exited: Promise<number | null>;
  #stderr = '';

  constructor(readonly child: ChildProcess) {
    let pending = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      pending += chunk;
      for (let end = pending.indexOf('\n'); end >= 0; end = pending.indexOf('\n')) {
        const line = pending.slice(0, end);
        pending = pending.slice(end + 1);
        this.stdout.push(line);
        this.lines.push(JSON.parse(line) as Record<string, any>);
      }
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (this.#stderr += chunk));
    // 'close', not 'exit': only then has every line it wrote been read.
    this.exited = new Promise((resolve) => child.once('close', (code) => resolve(code)));
  }

  static node(env: Record<string, string>): Started {
    return new Started(spawn(process.execPath, ['dist/server.js'], { cwd: dir, env: { PATH: process.env.PATH!, ...env } }));
  }

  async waitFor(msg: RegExp, timeoutMs = 30_000): Promise<Record<string, any>> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const line = this.lines.find((l) => msg.test(String(l.msg)));
      if (line) return line;
      if (Date.now() > until || this.child.stdout!.readableEnded) {
        throw new Error(`no log line ${msg} (exit ${this.child.exitCode}); stdout:\n${this.stdout.join('\n')}\nstderr:\n${this.#stderr}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  get stderr(): string {
    return this.#stderr;
  }
}

async function post(url: string, query: string, headers: Record<string, string> = {}): Promise<any> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) });
  assert.equal(response.status, 200);
  return response.json();
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'devicegraph-image-'));
  // The Dockerfile's build stage, then its runtime stage: package files, runtime dependencies, dist/.
  run(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'build.ts'), '--out', join(dir, 'dist')], ROOT);
  for (const file of ['package.json', 'package-lock.json']) copyFileSync(join(ROOT, file), join(dir, file));
  run('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'], dir);
  simulators = await startSimulators(VENDORS);
});

after(async () => {
  await simulators?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the production image, reproduced', () => {
  it('installs the runtime dependencies only', () => {
    assert.ok(existsSync(join(dir, 'node_modules', '@apollo', 'server')), '@apollo/server installed');
    for (const devOnly of ['node-forge', 'tsx', 'esbuild', 'typescript', '@graphql-codegen/cli', 'graphiql']) {
      assert.ok(!existsSync(join(dir, 'node_modules', devOnly)), `${devOnly} not installed`);
    }
  });

  it('answers from the real vendors, drains on SIGTERM with the slow request answered in full, exports its traces, exits 0', async () => {
    const exported: string[] = [];
    const collector = await listen(
      createServer((req, res) => {
        let body = '';
        req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        req.on('end', () => {
          if (req.url === '/v1/traces') exported.push(body);
          res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        });
      }),
    );
    const server = Started.node({
      ...realVendors(),
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: '0',
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(collector.address() as AddressInfo).port}`,
    });
    const kept = new Client(new URL((await server.waitFor(/^devicegraph is serving/)).url as string).origin);
    try {
      const { url } = await server.waitFor(/^devicegraph is serving/);
      for (const vendor of VENDORS) {
        const line = server.lines.find((l) => l.vendor === vendor && l.mode !== undefined);
        assert.deepEqual([line?.mode, line?.origin], ['real', new URL(simulators.endpoints[vendor]!.baseUrl).origin], `${vendor}: real`);
      }

      const traceId = '0af7651916cd43dd8448eb211c80319c';
      const all = await post(url, ALL_VENDORS, { traceparent: `00-${traceId}-b7ad6b7169203331-01` });
      assert.equal(all.errors, undefined, JSON.stringify(all.errors));
      for (const vendor of VENDORS) assert.ok(FIELDS[vendor].present(all.data), `${vendor}'s data`);

      assert.equal((await kept.request({ method: 'GET', path: '/readyz' })).statusCode, 200);
      const kobil = simulators.simulators.KOBIL!;
      kobil.clearCalls();
      kobil.knobs.latencyMs = 1_500;
      const slow = post(url, KOBIL_QUERY);
      while (kobil.calls.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      server.child.kill('SIGTERM');
      await server.waitFor(/shutting down/);
      const draining = await kept.request({ method: 'GET', path: '/readyz' });
      assert.equal(draining.statusCode, 503, '/readyz while draining');
      await draining.body.dump();

      const answer = await slow;
      assert.equal(answer.errors, undefined, JSON.stringify(answer.errors));
      assert.equal(answer.data.kobilUser.activity.edges.length, 2, 'the full answer');
      assert.equal(await server.exited, 0, `exit code 0; stderr: ${server.stderr}`);
      assert.equal(server.stderr, '', 'nothing on stderr');
      assert.match(String(server.lines.at(-1)?.msg), /^devicegraph stopped$/);
      assert.ok(exported.some((body) => body.includes(traceId)), `spans of the traced request exported: ${exported.length} exports`);
    } finally {
      simulators.simulators.KOBIL!.knobs.latencyMs = 0;
      await kept.close();
      server.child.kill('SIGKILL');
      collector.close();
    }
  });

  it('refuses a misconfiguration with one line naming every problem and exit code 1, never a simulator', async () => {
    const server = Started.node({ NODE_ENV: 'production', CONTROL_CENTER_BASEURL: 'https://cc.example.com', KOBIL_ACCESS_TOKEN: 'kobil-secret-x9' });
    assert.equal(await server.exited, 1);
    assert.equal(server.stdout.length, 1, `one line: ${server.stdout.join('\n')}`);
    const [line] = server.lines;
    assert.equal(line!.level, 60);
    for (const problem of [
      'CONTROL_CENTER_BASEURL is not a devicegraph variable (did you mean CONTROL_CENTER_BASE_URL?)',
      'KOBIL_BASE_URL is required when KOBIL is called for real',
      'Applivery is not configured',
      'NAVER Cloud is not configured',
      'NODE_ENV=production runs no simulator unless VENDOR_SIMULATORS=on',
    ]) {
      assert.ok(String(line!.msg).includes(problem), `names "${problem}": ${line!.msg}`);
    }
    assert.ok(!server.stdout[0]!.includes('kobil-secret-x9'), 'no secret in the message');
  });

  it('reads .env from the working directory, the environment winning', async () => {
    writeFileSync(join(dir, '.env'), 'VENDOR_SIMULATORS=on\nKOBIL_TOKEN=misspelt\n');
    try {
      const server = Started.node({ VENDOR_SIMULATORS: 'off' });
      assert.equal(await server.exited, 1);
      const problems = server.lines[0]!.problems as string[];
      assert.ok(problems.includes('KOBIL_TOKEN is not a devicegraph variable.'), 'the file was read');
      assert.ok(problems.includes('VENDOR_SIMULATORS=off: every vendor must be configured.'), 'the environment wins');
    } finally {
      rmSync(join(dir, '.env'));
    }
  });

  it('says in one line that the port is in use, and exits 1', async () => {
    const holder = await listen(createServer());
    try {
      const port = (holder.address() as AddressInfo).port;
      const server = Started.node({ ...realVendors(), NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port) });
      assert.equal(await server.exited, 1);
      const last = server.lines.at(-1)!;
      assert.equal(last.level, 60);
      assert.equal(last.code, 'EADDRINUSE');
      assert.match(String(last.msg), new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port}: the port is in use`));
      assert.equal(server.stderr, '');
    } finally {
      holder.close();
    }
  });

  it('npm start hands SIGTERM to the server itself: nothing is left running', async () => {
    // --ignore-scripts skips prestart's build check: this directory is a runtime install without sources.
    const npm = new Started(spawn('npm', ['start', '--silent', '--ignore-scripts'], { cwd: dir, env: { PATH: process.env.PATH!, ...realVendors(), NODE_ENV: 'production', PORT: '0' } }));
    const { pid } = await npm.waitFor(/^devicegraph is serving/);
    assert.notEqual(pid, npm.child.pid, 'the server is npm’s child');
    npm.child.kill('SIGTERM');
    assert.equal(await npm.exited, 0);
    assert.throws(() => process.kill(pid as number, 0), { code: 'ESRCH' }, 'the server process is gone');
  });
});

function listen(server: Server): Promise<Server> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}
