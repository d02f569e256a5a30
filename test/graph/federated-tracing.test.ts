/**
 * A federated-tracing request (ftv1) is answered by a twin Apollo Server on its own schema
 * instance, so Apollo's per-field wrapping, which it applies to its schema for good on the first
 * traced request, never reaches the schema every other request runs on.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { FEDERATED_TRACE_HEADER, startGraphServers } from '../../src/graph/federated-tracing.js';
import { buildDeviceGraphSchema } from '../../src/graph/schema.js';

/** Every object field's resolver, by `Type.field`. */
function resolvers(schema: GraphQLSchema): Map<string, unknown> {
  const found = new Map<string, unknown>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!(type instanceof GraphQLObjectType) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) found.set(`${type.name}.${field.name}`, field.resolve);
  }
  return found;
}

/** A server as devicegraph configures Apollo for this: its cache-control plugin (which would time every field of every request) off. */
const createServer = (schema: GraphQLSchema) => new ApolloServer({ schema, stopOnTerminationSignals: false, plugins: [ApolloServerPluginCacheControlDisabled()] });

function headers(entries: Record<string, string>): HeaderMap {
  const map = new HeaderMap();
  for (const [name, value] of Object.entries(entries)) map.set(name, value);
  return map;
}

async function ask(server: ApolloServer, extra: Record<string, string>): Promise<{ sdl?: unknown; ftv1?: unknown }> {
  const response = await server.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: 'POST', headers: headers({ 'content-type': 'application/json', ...extra }), search: '', body: { query: '{ _service { sdl } }' } },
    context: async () => ({}),
  });
  assert.equal(response.body.kind, 'complete');
  const body = JSON.parse(response.body.kind === 'complete' ? response.body.string : '{}') as { data?: { _service?: { sdl?: unknown } }; extensions?: { ftv1?: unknown } };
  return { sdl: body.data?._service?.sdl, ftv1: body.extensions?.ftv1 };
}

describe('federated tracing on a twin server', () => {
  it('answers traced requests from a twin whose schema alone Apollo wraps', async () => {
    const schemas: GraphQLSchema[] = [];
    const servers = await startGraphServers(
      createServer,
      () => {
        const schema = buildDeviceGraphSchema();
        schemas.push(schema);
        return schema;
      },
    );
    try {
      assert.equal(schemas.length, 1, 'the twin starts only when a trace is first asked for');
      const plainSchema = schemas[0]!;
      const before = resolvers(plainSchema);
      const plainServer = await servers.serverFor(headers({}));
      const tracedServer = await servers.serverFor(headers({ [FEDERATED_TRACE_HEADER]: 'ftv1' }));
      assert.notEqual(tracedServer, plainServer);
      assert.equal(await servers.serverFor(headers({ [FEDERATED_TRACE_HEADER]: 'ftv1' })), tracedServer, 'one twin for every traced request');
      assert.equal(schemas.length, 2);

      const traced = await ask(tracedServer, { [FEDERATED_TRACE_HEADER]: 'ftv1' });
      assert.equal(typeof traced.ftv1, 'string', 'the twin answers the trace');
      const plain = await ask(plainServer, {});
      assert.equal(plain.ftv1, undefined);
      assert.equal(plain.sdl, traced.sdl, 'both answer the same data');

      assert.deepEqual(resolvers(plainSchema), before, "the plain schema's resolvers are as they were");
      const twinResolvers = resolvers(schemas[1]!);
      assert.ok(
        [...twinResolvers].every(([field, resolve]) => resolve !== before.get(field)),
        "Apollo wrapped the twin's resolvers: the wrapping this keeps away from plain requests",
      );
    } finally {
      await servers.stop();
    }
  });

  it('starts the twin again after a failed start', async () => {
    let builds = 0;
    const servers = await startGraphServers(
      createServer,
      () => {
        builds++;
        if (builds === 2) throw new Error('the twin could not be built');
        return buildDeviceGraphSchema();
      },
    );
    try {
      const trace = headers({ [FEDERATED_TRACE_HEADER]: 'ftv1' });
      await assert.rejects(async () => servers.serverFor(trace), /could not be built/);
      const twin = await servers.serverFor(trace);
      assert.equal(typeof (await ask(twin, { [FEDERATED_TRACE_HEADER]: 'ftv1' })).ftv1, 'string');
    } finally {
      await servers.stop();
    }
  });
});
