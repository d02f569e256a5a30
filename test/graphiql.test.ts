import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { buildGraphiQL } from '../src/graphiql/build.js';
import { EXAMPLE_QUERY } from '../src/graphiql/example-query.js';
import { createGraphiQLHandler, GRAPHIQL_ASSETS, GRAPHIQL_DIST_DIR } from '../src/graphiql/serve.js';
import { CONTROL_CENTER_FIXTURES } from '../src/simulators/control-center/simulator.js';
import { KOBIL_FIXTURES } from '../src/simulators/kobil/simulator.js';
import { startGraphHarness, type GraphHarness } from './support/graph-harness.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = new URL('../test-artifacts/', import.meta.url);
const SCREENSHOT = new URL('graphiql.png', ARTIFACTS);
const HTML = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

let harness: GraphHarness;

before(async () => {
  // `npm test` builds the bundle first (pretest); build it here too, so this file runs on its own
  // and always against the current src/graphiql/.
  await buildGraphiQL();
  harness = await startGraphHarness();
});

after(async () => {
  await harness?.close();
});

describe('GraphiQL over HTTP', () => {
  it('answers a browser GET on /graphql with the GraphiQL page, its assets on this origin and a self-only CSP', async () => {
    const response = await fetch(harness.graph.url, { headers: { accept: HTML } });
    assert.equal(response.status, 200, 'the page is served');
    assert.match(response.headers.get('content-type') ?? '', /^text\/html/, 'as HTML');
    const csp = response.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'none'/, 'CSP denies by default');
    assert.match(csp, /script-src 'self'(;|$)/, 'scripts from this origin only');
    assert.match(csp, /connect-src 'self'(;|$)/, 'fetches to this origin only');
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:/, 'no inline or remote sources');
    const html = await response.text();
    assert.match(html, /<script src="\/graphiql\/app\.js\?v=[0-9a-f]{16}" defer><\/script>/, 'the script is the local bundle');
    assert.match(html, /<link rel="stylesheet" href="\/graphiql\/app\.css\?v=[0-9a-f]{16}">/, 'the stylesheet is the local bundle');
    assert.doesNotMatch(html, /(src|href)="(https?:)?\/\//, 'the page refers to no other host');
    assert.doesNotMatch(html, /<script>|<style>/, 'no inline script or style (the CSP would refuse them)');
  });

  it('leaves GraphQL requests to Apollo: GET with ?query=, GET without text/html, and POST', async () => {
    // apollo-require-preflight: Apollo's CSRF prevention refuses a simple GET without it.
    const get = await fetch(`${harness.graph.url}?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { accept: HTML, 'apollo-require-preflight': 'true' },
    });
    assert.equal(get.status, 200, 'GET ?query= runs');
    assert.deepEqual(await get.json(), { data: { __typename: 'Query' } }, 'GET ?query= is executed even when text/html is accepted');

    const json = await fetch(harness.graph.url, { headers: { accept: 'application/json' } });
    assert.doesNotMatch(json.headers.get('content-type') ?? '', /text\/html/, 'a JSON client gets no page');
    assert.equal(json.status, 400, 'a GET without a query is a bad GraphQL request');

    const curl = await fetch(harness.graph.url, { headers: { accept: '*/*' } });
    assert.doesNotMatch(curl.headers.get('content-type') ?? '', /text\/html/, 'a */* client (curl) gets no page');

    const post = await harness.query('{ __typename }');
    assert.deepEqual(post, { data: { __typename: 'Query' } }, 'POST works as before');
  });

  it('serves app.js and app.css with their content types, a content-hash ETag, long caching for versioned URLs, and gzip', async () => {
    const html = await (await fetch(harness.graph.url, { headers: { accept: HTML } })).text();
    for (const asset of Object.values(GRAPHIQL_ASSETS)) {
      const versioned = new RegExp(`${asset.path.replace(/\./g, '\\.')}\\?v=([0-9a-f]{16})`).exec(html);
      assert.ok(versioned, `the page links ${asset.path} with a version`);
      const url = new URL(versioned[0], harness.graph.url);

      const response = await fetch(url, { headers: { 'accept-encoding': 'gzip' } });
      assert.equal(response.status, 200, `${asset.path} is served`);
      assert.equal(response.headers.get('content-type'), asset.contentType, `${asset.path} content type`);
      assert.equal(response.headers.get('cache-control'), 'public, max-age=31536000, immutable', `${asset.path}?v= is immutable`);
      assert.equal(response.headers.get('content-encoding'), 'gzip', `${asset.path} is gzipped when asked`);
      const etag = response.headers.get('etag');
      assert.equal(etag, `"${versioned[1]}"`, `${asset.path} ETag is its content hash`);
      const body = Buffer.from(await response.arrayBuffer()); // fetch decodes the gzip
      assert.deepEqual(body, await readFile(join(GRAPHIQL_DIST_DIR, asset.file)), `${asset.path} is the built file`);

      const unversioned = await fetch(new URL(asset.path, harness.graph.url), { headers: { 'if-none-match': etag! } });
      assert.equal(unversioned.status, 304, `${asset.path} revalidates with its ETag`);
      assert.equal(unversioned.headers.get('cache-control'), 'no-cache', `${asset.path} without ?v= is revalidated`);
    }
    const post = await fetch(new URL(GRAPHIQL_ASSETS.js.path, harness.graph.url), { method: 'POST' });
    assert.equal(post.status, 405, 'assets are GET only');
    const other = await fetch(new URL('/graphiql/other.js', harness.graph.url));
    assert.equal(other.status, 404, 'nothing else is served under /graphiql/');
  });

  it('builds a self-contained bundle: every url() in the CSS is data:, no @import, no remote script loads', async () => {
    const css = await readFile(join(GRAPHIQL_DIST_DIR, GRAPHIQL_ASSETS.css.file), 'utf8');
    const urls = [...css.matchAll(/url\(\s*['"]?([^'")]*)/gi)].map((m) => m[1] ?? '');
    assert.ok(urls.length > 0, 'the CSS has its fonts and icons inline');
    assert.deepEqual(urls.filter((u) => !u.startsWith('data:')), [], 'no url() leaves the page');
    assert.doesNotMatch(css, /@import/i, 'no @import');
    assert.match(css, /\.graphiql-container/, 'GraphiQL CSS is in the bundle');
    const js = await readFile(join(GRAPHIQL_DIST_DIR, GRAPHIQL_ASSETS.js.file), 'utf8');
    assert.doesNotMatch(js, /\bimport\(\s*['"`]https?:|sourceMappingURL=https?:|unpkg\.com|jsdelivr|cdnjs|fonts\.googleapis/i, 'no CDN');
  });

  it('answers 503 with how to build when the bundle is missing', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'graphiql-missing-'));
    const handler = createGraphiQLHandler({ distDir: empty });
    const server = createServer((req, res) => {
      handler(req, res).then((handled) => handled || res.writeHead(404).end(), () => res.writeHead(500).end());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      for (const path of ['/graphql', GRAPHIQL_ASSETS.js.path, GRAPHIQL_ASSETS.css.path]) {
        const response = await fetch(`${base}${path}`, { headers: { accept: HTML } });
        assert.equal(response.status, 503, `${path} is 503 without the bundle`);
        assert.match(await response.text(), /npm run build:graphiql/, `${path} says how to build it`);
      }
      const api = await fetch(`${base}/graphql`, { method: 'POST', headers: { accept: HTML } });
      assert.equal(api.status, 404, 'POST /graphql is not the handler’s (Apollo still answers it)');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('opens with an example query over seeded fixtures that the simulators answer without errors', async () => {
    assert.ok(EXAMPLE_QUERY.includes(CONTROL_CENTER_FIXTURES.iccidWith137Records), 'uses a seeded ICCID');
    assert.ok(EXAMPLE_QUERY.includes(`"${KOBIL_FIXTURES.userWith53Logs}"`), 'uses a seeded KOBIL user');
    const result = await harness.query(EXAMPLE_QUERY);
    assert.equal(result.errors, undefined, `no errors: ${JSON.stringify(result.errors)}`);
    const audit = result.data.cellularDevice.auditEvents;
    assert.equal(audit.edges.length, 5, 'one page of five');
    assert.equal(audit.pageInfo.hasNextPage, true, 'with a next page');
    assert.equal(result.data.timeline.nodes.length, 8, 'eight timeline events');
    const vendors = new Set(result.data.timeline.nodes.map((node: { vendor: string }) => node.vendor));
    assert.deepEqual([...vendors].sort(), ['CISCO_CONTROL_CENTER', 'KOBIL'], 'merged from both sources');
  });
});

const noChromium = existsSync(CHROMIUM)
  ? false
  : `${CHROMIUM} is absent: install Debian's chromium (apt-get install chromium; .ci/run does) to run the GraphiQL browser test`;

describe('GraphiQL in headless Chromium', { skip: noChromium }, () => {
  let browser: Browser | undefined;

  after(async () => {
    await browser?.close();
  });

  it('loads from this origin only, runs the example query, shows the result, and saves a screenshot', { timeout: 120_000 }, async () => {
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
    const origin = new URL(harness.graph.url).origin;
    const requested: string[] = [];
    const offOrigin: string[] = [];
    const isLocal = (url: string) => url.startsWith('data:') || url.startsWith('blob:') || new URL(url).origin === origin;
    context.on('request', (request) => {
      requested.push(`${request.method()} ${request.url().slice(0, 120)}`);
      if (!isLocal(request.url())) offOrigin.push(request.url());
    });
    // Emulate the closed network too: whatever would leave the origin is refused, and recorded above.
    await context.route('**/*', (route) => (isLocal(route.request().url()) ? route.continue() : route.abort('blockedbyclient')));

    const page = await context.newPage();
    const consoleErrors: string[] = [];
    const pageErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => pageErrors.push(String(error)));

    const response = await page.goto(harness.graph.url, { waitUntil: 'load' });
    assert.equal(response?.status(), 200, 'the page loads');
    await page.waitForSelector('.graphiql-container .graphiql-query-editor .CodeMirror', { timeout: 30_000 });
    const queryText = await page.evaluate(() => (document.querySelector('.graphiql-query-editor .CodeMirror') as unknown as { CodeMirror: { getValue(): string } }).CodeMirror.getValue());
    assert.ok(queryText.includes('cellularDevice') && queryText.includes('timeline'), `GraphiQL opens with the example query, got: ${queryText.slice(0, 200)}`);

    // Wait for the schema (GraphiQL's introspection POST), then run the query with the ▶ button.
    await page.waitForFunction(() => !document.querySelector('.graphiql-spinner'), undefined, { timeout: 30_000 });
    await page.click('.graphiql-execute-button');
    await page.waitForFunction(
      () => {
        const editor = document.querySelector('.result-window .CodeMirror') as unknown as { CodeMirror?: { getValue(): string } } | null;
        return editor?.CodeMirror?.getValue().includes('"auditEvents"') ?? false;
      },
      undefined,
      { timeout: 30_000 },
    );
    const resultText = await page.evaluate(() => (document.querySelector('.result-window .CodeMirror') as unknown as { CodeMirror: { getValue(): string } }).CodeMirror.getValue());
    const result = JSON.parse(resultText) as { data?: any; errors?: unknown };
    assert.equal(result.errors, undefined, `the query runs without errors: ${JSON.stringify(result.errors)}`);
    assert.equal(result.data?.cellularDevice?.auditEvents?.edges?.length, 5, 'the result pane shows the audit trail page');
    assert.equal(result.data?.timeline?.nodes?.length, 8, 'and the timeline');
    assert.ok(await page.locator('.result-window').getByText('"auditEvents"').isVisible(), 'the result is visible on screen');

    // The docs explorer lists Query's entry points first, federation's two root fields last.
    await page.click('button[aria-label="Show Documentation Explorer"]');
    await page.click('.graphiql-doc-explorer a.graphiql-doc-explorer-type-name:text-is("Query")');
    await page.waitForSelector('.graphiql-doc-explorer-field-name:has-text("cellularDevice")', { timeout: 10_000 });
    const rootFields = await page.locator('.graphiql-doc-explorer-field-name').allTextContents();
    assert.equal(rootFields[0], 'timeline', `an entry point comes first: ${rootFields.join(', ')}`);
    assert.deepEqual(rootFields.slice(-2), ['_entities', '_service'], `federation's root fields come last: ${rootFields.join(', ')}`);

    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: SCREENSHOT.pathname });
    assert.ok((await stat(SCREENSHOT)).size > 10_000, `a screenshot is saved at ${SCREENSHOT.pathname}`);

    assert.deepEqual(offOrigin, [], `every request stays on ${origin}; requested: ${requested.join(' | ')}`);
    assert.ok(requested.some((r) => r.startsWith('GET ') && r.includes('/graphiql/app.js')), `the bundle came from this origin: ${requested.join(' | ')}`);
    assert.ok(requested.some((r) => r.startsWith('POST ') && new URL(r.slice(5)).pathname === '/graphql'), 'the query went to this origin');
    assert.deepEqual(pageErrors, [], 'no uncaught errors in the page');
    assert.deepEqual(consoleErrors.filter((e) => /Content Security Policy|Refused to/i.test(e)), [], 'nothing the CSP refused');
    assert.deepEqual(consoleErrors, [], 'no console errors');
    await context.close();
  });
});
