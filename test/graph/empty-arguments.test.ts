/**
 * Fields that declare no arguments share one frozen empty `args` object (graphql-js would build two
 * null-prototype objects per field executed); every other field's arguments are coerced by
 * graphql-js as before.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildSchema, execute, parse } from 'graphql';
import { NO_ARGUMENTS, shareEmptyArguments } from '../../src/graph/empty-arguments.js';
import { startGraphHarness, type GraphHarness } from '../support/graph-harness.js';

const schema = buildSchema(`
  input Window { first: Int = 10, after: String }
  type Query {
    plain: String
    optional(limit: Int = 5, names: [String!]): String
    required(window: Window!): String
  }
`);

/** Executes `query` over `schema`, recording the `args` each resolver receives. */
function argsSeen(query: string, variableValues?: Record<string, unknown>): Record<string, unknown> {
  const seen: Record<string, unknown> = {};
  // The default resolver calls a root value's function with the field's arguments first.
  const record = (name: string) => (args: unknown) => {
    seen[name] = args;
    return name;
  };
  const result = execute({
    schema,
    document: parse(query),
    rootValue: { plain: record('plain'), optional: record('optional'), required: record('required') },
    variableValues,
  }) as { errors?: unknown };
  assert.equal(result.errors, undefined);
  return seen;
}

describe('shared empty arguments', () => {
  describe('in devicegraph', () => {
    let harness: GraphHarness;
    before(async () => {
      harness = await startGraphHarness();
    });
    after(() => harness.close());

    it('is installed by the server, and its answers are whole', async () => {
      assert.equal(argsSeen('{ plain }').plain, NO_ARGUMENTS, 'startDeviceGraph installed it');
      const answer = await harness.query('{ __typename }');
      assert.deepEqual(answer, { data: { __typename: 'Query' } });
    });
  });

  describe('coercion', () => {
    before(() => {
      shareEmptyArguments();
      shareEmptyArguments();
    });

    it('hands a field without declared arguments the one frozen empty object', () => {
      const first = argsSeen('{ plain }').plain;
      const second = argsSeen('{ a: plain b: plain }').plain;
      assert.equal(first, NO_ARGUMENTS);
      assert.equal(second, NO_ARGUMENTS);
      assert.ok(Object.isFrozen(NO_ARGUMENTS));
      assert.deepEqual(Object.keys(NO_ARGUMENTS), []);
    });

    it('still coerces declared arguments: defaults, literals, variables, input objects', () => {
      assert.deepEqual({ ...(argsSeen('{ optional }').optional as object) }, { limit: 5 });
      assert.deepEqual({ ...(argsSeen('{ optional(limit: 2, names: "x") }').optional as object) }, { limit: 2, names: ['x'] });
      assert.deepEqual({ ...(argsSeen('query Q($n: Int) { optional(limit: $n) }', { n: 7 }).optional as object) }, { limit: 7 });
      const required = argsSeen('query Q($w: Window!) { required(window: $w) }', { w: { after: 'c' } }).required as { window: object };
      assert.deepEqual({ ...required.window }, { first: 10, after: 'c' });
      assert.notEqual(argsSeen('{ optional }').optional, NO_ARGUMENTS);
    });
  });
});
