/**
 * Serves GraphiQL from devicegraph's own origin: a browser's GET on `/graphql` (Accept: text/html,
 * no `?query=`) gets a small HTML page, and `/graphiql/app.js` and `/graphiql/app.css` are the
 * bundle build.ts wrote to dist/graphiql/. Nothing is loaded from another host, so GraphiQL works
 * on a closed network; the page's Content-Security-Policy allows this origin only.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';

/** Where build.ts writes the bundle: `dist/graphiql/`, beside this module once built (src/build.ts). */
export const GRAPHIQL_DIST_DIR = fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? '../../dist/graphiql/' : './', import.meta.url));

/** The bundle's files, where they are served, and as what. */
export const GRAPHIQL_ASSETS = {
  js: { file: 'app.js', path: '/graphiql/app.js', contentType: 'text/javascript; charset=utf-8' },
  css: { file: 'app.css', path: '/graphiql/app.css', contentType: 'text/css; charset=utf-8' },
} as const;

/** The endpoint the page is served on (and that GraphiQL queries). */
const ENDPOINT_PATH = '/graphql';

/**
 * Self only. Fonts and icons in GraphiQL's CSS are data: URLs; React and CodeMirror set styles
 * through the CSSOM, which `style-src 'self'` allows.
 */
export const GRAPHIQL_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const MISSING_BUNDLE_MESSAGE =
  'GraphiQL is not built: the bundle dist/graphiql/app.js and app.css is missing. Run `npm run build:graphiql` ' +
  '(npm start and npm test run it first), then reload. The GraphQL endpoint itself works: POST queries to /graphql.\n';

type AssetKey = keyof typeof GRAPHIQL_ASSETS;

interface LoadedAsset {
  body: Buffer;
  gzipped: Buffer;
  /** A short content hash: the ETag, and the `?v=` of the page's asset URLs. */
  version: string;
  mtimeMs: number;
  size: number;
}

const gzipAsync = promisify(gzip);

/** Answers a request that is GraphiQL's, and returns whether it did. */
export type GraphiQLHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

/** A GraphiQL handler serving the bundle in `distDir` (default dist/graphiql/). */
export function createGraphiQLHandler(options: { distDir?: string } = {}): GraphiQLHandler {
  const distDir = options.distDir ?? GRAPHIQL_DIST_DIR;
  const cache = new Map<AssetKey, Promise<LoadedAsset>>();

  /** The asset as it is on disk now, or undefined when it is missing; re-read when the file changes. */
  async function load(key: AssetKey): Promise<LoadedAsset | undefined> {
    const path = join(distDir, GRAPHIQL_ASSETS[key].file);
    let info;
    try {
      info = await stat(path);
    } catch {
      return undefined;
    }
    const cached = cache.get(key);
    if (cached) {
      const asset = await cached.catch(() => undefined);
      if (asset && asset.mtimeMs === info.mtimeMs && asset.size === info.size) return asset;
    }
    const loading = (async (): Promise<LoadedAsset> => {
      const body = await readFile(path);
      return {
        body,
        gzipped: await gzipAsync(body, { level: 9 }),
        version: createHash('sha256').update(body).digest('hex').slice(0, 16),
        mtimeMs: info.mtimeMs,
        size: info.size,
      };
    })();
    cache.set(key, loading);
    try {
      return await loading;
    } catch {
      cache.delete(key);
      return undefined;
    }
  }

  return async function serveGraphiQL(req, res) {
    const url = new URL(req.url ?? '/', 'http://devicegraph.invalid');
    const method = (req.method ?? 'GET').toUpperCase();

    if (url.pathname === ENDPOINT_PATH) {
      if (method !== 'GET' && method !== 'HEAD') return false;
      if (url.searchParams.has('query') || url.searchParams.has('extensions')) return false; // a GraphQL GET request
      if (!acceptsHtml(req.headers.accept)) return false;
      const [js, css] = await Promise.all([load('js'), load('css')]);
      if (!js || !css) return missingBundle(res, method);
      const body = Buffer.from(page(js.version, css.version), 'utf8');
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-length': body.byteLength,
        'cache-control': 'no-cache',
        'content-security-policy': GRAPHIQL_CONTENT_SECURITY_POLICY,
        'referrer-policy': 'no-referrer',
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        vary: 'accept',
      });
      res.end(method === 'HEAD' ? undefined : body);
      return true;
    }

    const key = (Object.keys(GRAPHIQL_ASSETS) as AssetKey[]).find((k) => GRAPHIQL_ASSETS[k].path === url.pathname);
    if (!key) return false;
    if (method !== 'GET' && method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('Method not allowed\n');
      return true;
    }
    const asset = await load(key);
    if (!asset) return missingBundle(res, method);
    const etag = `"${asset.version}"`;
    const headers: Record<string, string | number> = {
      'content-type': GRAPHIQL_ASSETS[key].contentType,
      // The page asks for `?v=<content hash>`: that URL's content never changes. Any other URL revalidates.
      'cache-control': url.searchParams.get('v') === asset.version ? 'public, max-age=31536000, immutable' : 'no-cache',
      etag,
      'x-content-type-options': 'nosniff',
      vary: 'accept-encoding',
    };
    if (matchesEtag(req.headers['if-none-match'], etag)) {
      res.writeHead(304, headers).end();
      return true;
    }
    const useGzip = acceptsGzip(req.headers['accept-encoding']);
    const body = useGzip ? asset.gzipped : asset.body;
    if (useGzip) headers['content-encoding'] = 'gzip';
    headers['content-length'] = body.byteLength;
    res.writeHead(200, headers);
    res.end(method === 'HEAD' ? undefined : body);
    return true;
  };
}

/**
 * Serves GraphiQL from dist/graphiql/: the page on a browser's GET of `/graphql`, and its assets.
 * Returns false, having written nothing, for every other request.
 */
export const serveGraphiQL: GraphiQLHandler = createGraphiQLHandler();

function page(jsVersion: string, cssVersion: string): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>devicegraph · GraphiQL</title>
    <link rel="icon" href="data:,">
    <link rel="stylesheet" href="${GRAPHIQL_ASSETS.css.path}?v=${cssVersion}">
    <script src="${GRAPHIQL_ASSETS.js.path}?v=${jsVersion}" defer></script>
  </head>
  <body>
    <div id="graphiql">Loading GraphiQL…</div>
    <noscript>GraphiQL needs JavaScript. The GraphQL endpoint is this URL: POST queries to it.</noscript>
  </body>
</html>
`;
}

function missingBundle(res: ServerResponse, method: string): true {
  const body = Buffer.from(MISSING_BUNDLE_MESSAGE, 'utf8');
  res.writeHead(503, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': body.byteLength,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(method === 'HEAD' ? undefined : body);
  return true;
}

/** Whether an Accept header names text/html with a non-zero quality (curl's `*` wildcard alone does not). */
function acceptsHtml(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.split(',').some((range) => {
    const [type, ...params] = range.split(';').map((part) => part.trim().toLowerCase());
    if (type !== 'text/html') return false;
    const q = params.find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

function acceptsGzip(acceptEncoding: string | string[] | undefined): boolean {
  const value = Array.isArray(acceptEncoding) ? acceptEncoding.join(',') : (acceptEncoding ?? '');
  return value.split(',').some((coding) => {
    const [name, ...params] = coding.split(';').map((part) => part.trim().toLowerCase());
    if (name !== 'gzip') return false;
    const q = params.find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t === etag || t === `W/${etag}`;
  });
}
