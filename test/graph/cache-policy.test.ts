/**
 * The cache policy worked out once per operation from the schema's `@cacheControl` hints
 * (src/graph/cache-hints.ts), over a small subgraph with hints of every kind: the same policy as
 * Apollo's own cache-control plugin reaches field by field when every selected field resolves,
 * and never a longer max-age or a public scope where that plugin's is shorter or private when
 * some do not. Both run in-process (`executeOperation`), no HTTP.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControl } from '@apollo/server/plugin/cacheControl';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { operationCachePolicy, type CacheHint } from '../../src/graph/cache-hints.js';

const TYPE_DEFS = parse(`
  enum CacheControlScope { PUBLIC PRIVATE }
  directive @cacheControl(maxAge: Int, scope: CacheControlScope, inheritMaxAge: Boolean) on FIELD_DEFINITION | OBJECT | INTERFACE | UNION

  interface Node @cacheControl(maxAge: 600) { id: ID! }
  type Book implements Node @key(fields: "id") @cacheControl(maxAge: 60) {
    id: ID!
    title: String
    reviews: [Review!]!
    author: Author @cacheControl(inheritMaxAge: true)
    sequel: Book @cacheControl(maxAge: 40)
  }
  type Author @cacheControl(maxAge: 30) { name: String secret: String @cacheControl(scope: PRIVATE) }
  type Review @cacheControl(inheritMaxAge: true) { stars: Int reviewer: Person }
  type Person implements Node { id: ID! name: String }
  type Shelf implements Node @key(fields: "id") @cacheControl(maxAge: 120) { id: ID! books: [Book!]! @cacheControl(maxAge: 10) }
  union Item = Book | Shelf
  type Query {
    book: Book
    books: [Book!]! @cacheControl(maxAge: 300)
    node(id: ID!): Node
    items: [Item!]! @cacheControl(maxAge: 500)
    version: String @cacheControl(maxAge: 5)
    uptime: Int
  }
`);

const PERSON = { __typename: 'Person', id: 'p1', name: 'Pat' };
const AUTHOR = { name: 'Ann', secret: 's' };
/** A book with every field set (a sequel without one of its own), so every selected field resolves. */
const BOOK = { __typename: 'Book', id: 'b1', title: 'T', reviews: [{ stars: 5, reviewer: PERSON }], author: AUTHOR, sequel: null as unknown };
BOOK.sequel = { ...BOOK, id: 'b2' };
const SHELF = { __typename: 'Shelf', id: 's1', books: [BOOK] };

const schema = buildSubgraphSchema({
  typeDefs: TYPE_DEFS,
  resolvers: {
    Query: {
      book: () => BOOK,
      books: () => [BOOK],
      node: (_: unknown, { id }: { id: string }) => ({ b1: BOOK, s1: SHELF, p1: PERSON })[id] ?? null,
      items: () => [BOOK, SHELF],
      version: () => '1',
      uptime: () => 1,
    },
    Book: { __resolveReference: () => BOOK },
    Shelf: { __resolveReference: () => SHELF },
  },
});

/** Operations where every selected field resolves, with the policy both must reach. */
const RESOLVED: Array<[operation: string, policy: CacheHint]> = [
  ['{ version }', { maxAge: 5 }],
  // A root field without a hint: 0.
  ['{ version uptime }', { maxAge: 0 }],
  ['{ book { title } }', { maxAge: 60 }],
  // The field's hint over its type's.
  ['{ books { title } }', { maxAge: 300 }],
  // Inheriting on the field does not apply where its type has a max-age.
  ['{ books { author { name } } }', { maxAge: 30 }],
  ['{ books { author { secret } } }', { maxAge: 30, scope: 'PRIVATE' }],
  // A type that inherits takes its parent's; a composite field without any hint: 0.
  ['{ books { reviews { stars } } }', { maxAge: 300 }],
  ['{ books { reviews { reviewer { name } } } }', { maxAge: 0 }],
  ['{ book { sequel { title sequel { id } } } }', { maxAge: 40 }],
  // Introspection and `__typename` carry no hint: no policy at all.
  ['{ __typename }', {}],
  ['{ __typename book { __typename } __type(name: "Book") { name } }', { maxAge: 60 }],
  ['query { ...Root } fragment Root on Query { version book { ...Title } } fragment Title on Book { title }', { maxAge: 5 }],
  ['{ items { ... on Node { id } ... on Book { title } } }', { maxAge: 500 }],
  ['{ items { ... on Shelf { books { id } } } }', { maxAge: 10 }],
  // `_entities` holds to its entity types' hints (here any of them: the least).
  ['{ _entities(representations: [{ __typename: "Book", id: "b1" }]) { ... on Book { title } } }', { maxAge: 60 }],
];

/** Operations where some selected fields do not resolve: Apollo's policy, then the one worked out here. */
const UNRESOLVED: Array<[operation: string, apollo: CacheHint, worked: CacheHint]> = [
  // The node is a book, yet the shelf's books count.
  ['{ node(id: "b1") { id ... on Shelf { books { title } } } }', { maxAge: 600 }, { maxAge: 10 }],
  // No node: its fields count all the same.
  ['{ node(id: "x") { ... on Book { sequel { id } } } }', { maxAge: 600 }, { maxAge: 40 }],
  // The node is a shelf, yet a book's author counts, private scope included.
  ['{ node(id: "s1") { ... on Book { author { secret } } } }', { maxAge: 600 }, { maxAge: 30, scope: 'PRIVATE' }],
  ['{ book @skip(if: true) { title } version }', { maxAge: 5 }, { maxAge: 5 }],
  ['{ book @skip(if: true) { reviews { reviewer { id } } } version }', { maxAge: 5 }, { maxAge: 0 }],
];

/** The policy Apollo's cache-control plugin reaches for an operation (answered without errors). */
async function apolloPolicy(server: ApolloServer, query: string): Promise<CacheHint> {
  const response = await server.executeOperation({ query });
  assert.equal(response.body.kind, 'single');
  if (response.body.kind === 'single') assert.equal(response.body.singleResult.errors, undefined, query);
  return policies.get(query)!;
}

const policies = new Map<string, CacheHint>();
/** Reads Apollo's overall policy of each operation once its fields have resolved. */
const recordPolicy: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async willSendResponse({ request, overallCachePolicy: { maxAge, scope } }) {
        policies.set(request.query!, { ...(maxAge === undefined ? {} : { maxAge }), ...(scope === undefined ? {} : { scope }) });
      },
    };
  },
};

function staticPolicy(query: string): CacheHint {
  const document = parse(query);
  const operation = document.definitions.find((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION)!;
  return operationCachePolicy(schema, operation, document).hint;
}

describe('the cache policy worked out per operation', () => {
  let server: ApolloServer;
  before(async () => {
    server = new ApolloServer({ schema, plugins: [ApolloServerPluginCacheControl({ calculateHttpHeaders: false }), ApolloServerPluginInlineTraceDisabled(), recordPolicy] });
    await server.start();
  });
  after(() => server.stop());

  it("is Apollo's cache-control plugin's where every selected field resolves", async () => {
    for (const [query, policy] of RESOLVED) {
      assert.deepEqual(await apolloPolicy(server, query), policy, `Apollo: ${query}`);
      assert.deepEqual(staticPolicy(query), policy, query);
    }
  });

  it('is never longer-lived or more public than Apollo’s where some do not', async () => {
    for (const [query, apollo, policy] of UNRESOLVED) {
      assert.deepEqual(await apolloPolicy(server, query), apollo, `Apollo: ${query}`);
      assert.deepEqual(staticPolicy(query), policy, query);
    }
  });

  it('is worked out once per parsed operation, and names the root `_entities` fields', () => {
    const document = parse('{ first: _entities(representations: []) { __typename } version }');
    const operation = document.definitions[0] as OperationDefinitionNode;
    const policy = operationCachePolicy(schema, operation, document);
    assert.equal(operationCachePolicy(schema, operation, document), policy);
    assert.deepEqual(policy.entities, ['first']);
  });
});
