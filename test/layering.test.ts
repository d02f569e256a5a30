import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const DEPCRUISE = join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
const run = promisify(execFile);

/** Runs the project's dependency rules over `paths` in `cwd`; resolves with the exit code and output. */
async function cruise(cwd: string, paths: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout } = await run(process.execPath, [DEPCRUISE, ...paths, '--config', join(ROOT, '.dependency-cruiser.cjs')], { cwd });
    return { code: 0, output: stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string };
    return { code: failed.code, output: failed.stdout };
  }
}

describe('layering (dependency-cruiser rules in .dependency-cruiser.cjs)', () => {
  const fixture = mkdtempSync(join(tmpdir(), 'devicegraph-layering-'));
  after(() => rmSync(fixture, { recursive: true, force: true }));

  it('src/ and bench/ keep every rule: vendors never import graph, simulators share only contracts, no cycles, no test support in the bench', async () => {
    const { code, output } = await cruise(ROOT, ['src', 'bench']);
    assert.equal(code, 0, output);
  });

  it('fails on a vendor client that imports the graph, a simulator that imports a client, a cycle, and a bench that imports test support', async () => {
    cpSync(join(ROOT, 'tsconfig.json'), join(fixture, 'tsconfig.json'));
    const write = (path: string, text: string) => {
      mkdirSync(dirname(join(fixture, path)), { recursive: true });
      writeFileSync(join(fixture, path), text);
    };
    write('src/graph/models.ts', "export const model = 1;\n");
    write('src/vendors/acme/client.ts', "import { model } from '../../graph/models.js';\nexport const client = model;\n");
    write('src/simulators/acme/simulator.ts', "import { client } from '../../vendors/acme/client.js';\nexport const simulator = client;\n");
    write('src/graph/a.ts', "import { b } from './b.js';\nexport const a = () => b;\n");
    write('src/graph/b.ts', "import { a } from './a.js';\nexport const b = () => a;\n");
    write('test/support/harness.ts', 'export const harness = 1;\n');
    write('bench/run.ts', "import { harness } from '../test/support/harness.js';\nexport const run = harness;\n");
    const { code, output } = await cruise(fixture, ['src', 'bench']);
    assert.notEqual(code, 0, 'the rule check fails');
    for (const rule of ['vendors-know-no-graphql', 'simulators-share-only-contracts', 'no-cycles', 'bench-not-tests']) {
      assert.match(output, new RegExp(rule), `${rule} is reported`);
    }
  });
});
