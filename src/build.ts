/**
 * The production build (`npm run build`): src/ → dist/ as plain JavaScript, one file per module
 * (esbuild strips the types; `npm run typecheck` checks them), the SDL of schema/ → dist/schema/,
 * and the GraphiQL bundle → dist/graphiql/. `node dist/server.js` then runs on the runtime
 * dependencies alone. `--out DIR` builds elsewhere (the production test builds into a temporary
 * directory). The stamp written last tells `npm start` (scripts/build-if-stale.mjs) the build is
 * complete.
 */
import { copyFile, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { buildGraphiQL } from './graphiql/build.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const SRC = join(ROOT, 'src');

/** Written last: scripts/build-if-stale.mjs compares its time with the sources'. */
const BUILD_STAMP = '.build-stamp';

/** Build-time code and the browser side of GraphiQL: not part of the server. */
const NOT_SHIPPED = new Set(['build.ts', 'graphiql/app.ts', 'graphiql/build.ts']);

async function sourceFiles(): Promise<string[]> {
  const entries = await readdir(SRC, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts'))
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((path) => !NOT_SHIPPED.has(relative(SRC, path).split('\\').join('/')));
}

export async function buildDist(outDir: string): Promise<void> {
  await rm(outDir, { recursive: true, force: true });
  await build({
    entryPoints: await sourceFiles(),
    outbase: SRC,
    outdir: outDir,
    bundle: false,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    logLevel: 'warning',
  });
  const schemaOut = join(outDir, 'schema');
  await mkdir(schemaOut, { recursive: true });
  for (const name of await readdir(join(ROOT, 'schema'))) {
    if (name.endsWith('.graphql')) await copyFile(join(ROOT, 'schema', name), join(schemaOut, name));
  }
  await buildGraphiQL(join(outDir, 'graphiql'));
  await writeFile(join(outDir, BUILD_STAMP), `${new Date().toISOString()}\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  const outDir = resolve(values.out ?? join(ROOT, 'dist'));
  const started = Date.now();
  await buildDist(outDir);
  console.log(`devicegraph built into ${relative(process.cwd(), outDir) || '.'} in ${Date.now() - started} ms`);
}
