/**
 * The two schema artifacts `npm run schema:print` writes: the subgraph SDL a router composes, and
 * with `--client` the API schema frontends compile against. Both come from running the script, as
 * a user would.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildSchema, getIntrospectionQuery, graphqlSync, validateSchema, type IntrospectionQuery } from 'graphql';
import { printClientSdl } from '../src/graph/client-schema.js';
import { buildDeviceGraphSchema, printSubgraphSdl } from '../src/graph/schema.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const FEDERATION_ROOT_FIELDS = ['_entities', '_service'];

function printSchemaScript(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/print-schema.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('npm run schema:print', () => {
  it('prints the subgraph SDL, federation machinery included', () => {
    const { status, stdout, stderr } = printSchemaScript();
    assert.equal(status, 0, stderr);
    assert.equal(stdout, printSubgraphSdl());
    assert.match(stdout, /@link\(url: "https:\/\/specs\.apollo\.dev\/federation\/v2\.9"/);
    assert.match(stdout, /type Device implements Node\s+@key\(fields: "id"\)/);
  });

  it('with --client prints a valid API schema without _entities, _service, link__* or federation directives', () => {
    const { status, stdout, stderr } = printSchemaScript('--client');
    assert.equal(status, 0, stderr);
    assert.equal(stdout, printClientSdl(buildDeviceGraphSchema()));
    for (const forbidden of ['_entities', '_service', '_Any', '_Entity', 'link__', 'federation__', '@key', '@link', '@shareable', '@listSize']) {
      assert.ok(!stdout.includes(forbidden), `the client schema has no ${forbidden}`);
    }
    const client = buildSchema(stdout);
    assert.deepEqual(validateSchema(client).map(String), [], 'the client schema is valid');
    const subgraphRoots = Object.keys(buildDeviceGraphSchema().getQueryType()!.getFields());
    assert.deepEqual(
      Object.keys(client.getQueryType()!.getFields()),
      subgraphRoots.filter((name) => !FEDERATION_ROOT_FIELDS.includes(name)),
      'every user-facing root field, in the served order',
    );
    assert.match(stdout, /input TimelineSource @oneOf/, 'TimelineSource stays @oneOf for clients');
    assert.match(stdout, /scalar DateTime @specifiedBy\(url: "https:\/\/www\.rfc-editor\.org\/rfc\/rfc3339"\)/);
    assert.match(stdout, /scalar UUID @specifiedBy\(url: "https:\/\/www\.rfc-editor\.org\/rfc\/rfc9562"\)/);
  });

  it('refuses an unknown option', () => {
    const unknown = printSchemaScript('--api');
    assert.equal(unknown.status, 2, 'an unknown option fails');
    assert.match(unknown.stderr, /Unknown option --api/);
  });
});

describe('the served schema', () => {
  it('lists the entry points first, then node and nodes, federation’s root fields last (GraphiQL’s docs order)', () => {
    const result = graphqlSync({ schema: buildDeviceGraphSchema(), source: getIntrospectionQuery() });
    const data = result.data as unknown as IntrospectionQuery;
    const query = data.__schema.types.find((type) => type.name === data.__schema.queryType.name);
    const names = query && 'fields' in query ? query.fields.map((field) => field.name) : [];
    assert.deepEqual(names.slice(-4), ['node', 'nodes', ...FEDERATION_ROOT_FIELDS], `node, nodes, then federation's root fields: ${names.join(', ')}`);
    assert.deepEqual(
      names.slice(0, -4).sort(),
      ['androidDevice', 'cellularDevice', 'certificateSubject', 'kobilUser', 'policyExecution', 'timeline'],
      'the entry points come first',
    );
  });
});
