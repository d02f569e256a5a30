/**
 * Bundles GraphiQL (src/graphiql/app.ts, the graphiql npm package, React and their CSS) into
 * dist/graphiql/app.js and app.css with esbuild, so the page needs nothing from a CDN and works on
 * a closed network. Run by `npm run build:graphiql`, which `prestart` and `pretest` run.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { GRAPHIQL_ASSETS, GRAPHIQL_DIST_DIR } from './serve.js';

export interface GraphiQLBundle {
  /** The files written, with their sizes in bytes. */
  files: Array<{ path: string; bytes: number; gzipBytes: number }>;
}

/** Builds the bundle into `outDir` (default dist/graphiql/); each file is replaced atomically. */
export async function buildGraphiQL(outDir: string = GRAPHIQL_DIST_DIR): Promise<GraphiQLBundle> {
  const result = await build({
    entryPoints: { app: fileURLToPath(new URL('./app.ts', import.meta.url)) },
    bundle: true,
    minify: true,
    format: 'iife',
    platform: 'browser',
    target: ['chrome109', 'firefox115', 'safari16'],
    define: { 'process.env.NODE_ENV': '"production"' },
    // Fonts and images GraphiQL's CSS uses are inlined data: URLs already; anything else stays inline too.
    loader: { '.woff': 'dataurl', '.woff2': 'dataurl', '.ttf': 'dataurl', '.svg': 'dataurl', '.png': 'dataurl' },
    legalComments: 'eof',
    charset: 'utf8',
    outdir: outDir,
    write: false,
    logLevel: 'warning',
  });

  const outputs = new Map(result.outputFiles.map((file) => [basename(file.path), file]));
  const names: string[] = Object.values(GRAPHIQL_ASSETS).map((asset) => asset.file);
  const unexpected = [...outputs.keys()].filter((name) => !names.includes(name));
  if (unexpected.length > 0) throw new Error(`GraphiQL build wrote unexpected files: ${unexpected.join(', ')}`);

  for (const name of names) {
    const file = outputs.get(name);
    if (!file) throw new Error(`GraphiQL build produced no ${name}`);
    if (name.endsWith('.css')) assertSelfContainedCss(file.text);
    assertNoRemoteModuleLoads(name, file.text);
  }

  await mkdir(outDir, { recursive: true });
  const files: GraphiQLBundle['files'] = [];
  for (const name of names) {
    const file = outputs.get(name)!;
    const target = join(outDir, name);
    const temporary = `${target}.${process.pid}.tmp`;
    await writeFile(temporary, file.contents);
    await rename(temporary, target);
    files.push({ path: target, bytes: file.contents.byteLength, gzipBytes: gzipSync(file.contents).byteLength });
  }
  return { files };
}

/** Every `url()` of the CSS is a data: URL, and nothing is `@import`ed: no font or image from another host. */
function assertSelfContainedCss(css: string): void {
  if (/@import\b/i.test(css)) throw new Error('GraphiQL CSS has an @import; the bundle must be self-contained.');
  for (const match of css.matchAll(/url\(\s*(['"]?)([^'")]*)\1\s*\)/gi)) {
    const target = match[2] ?? '';
    if (!target.startsWith('data:') && !target.startsWith('#')) {
      throw new Error(`GraphiQL CSS refers to ${target.slice(0, 120)}; only data: URLs are allowed.`);
    }
  }
}

/** No script or stylesheet is loaded from a CDN at run time (e.g. a dynamic import of an http(s) URL). */
function assertNoRemoteModuleLoads(name: string, text: string): void {
  const remote = /\bimport\(\s*['"`]https?:|\bimportScripts\(\s*['"`]https?:|@import\s+(url\()?['"]?https?:|sourceMappingURL=https?:/i.exec(text);
  if (remote) throw new Error(`${name} loads from another host: ${remote[0]}`);
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(2)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = Date.now();
  const bundle = await buildGraphiQL();
  const summary = bundle.files.map((f) => `${basename(f.path)} ${formatBytes(f.bytes)} (gzip ${formatBytes(f.gzipBytes)})`).join(', ');
  console.log(`GraphiQL bundle built in ${Date.now() - started} ms: ${summary}`);
}
