/**
 * The pre-execution checks as Apollo Server calls them, without HTTP: an operation that passed
 * with some variables passes again with the same ones, and is refused with variables over a
 * limit whatever it passed with before. The clients behind the context are never called (their
 * vendor is an unused loopback port).
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { GraphQLError, Kind, parse, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { preExecutionChecksPlugin } from '../../src/graph/checks/pre-execution.js';
import { createGraphContext } from '../../src/graph/context.js';
import { buildDeviceGraphSchema } from '../../src/graph/schema.js';
import { unusedVendorClients } from '../support/unused-clients.js';

const clients = unusedVendorClients();
const schema = buildDeviceGraphSchema();

after(async () => {
  await clients.close();
});

/** Runs the plugin's check of `operation` of `document` with `variables`: the error it refused with, or `undefined`. */
async function check(document: DocumentNode, variables: Record<string, unknown>): Promise<GraphQLError | undefined> {
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const hooks = await preExecutionChecksPlugin.requestDidStart!({} as never);
  try {
    await hooks!.didResolveOperation!({ schema, document, operation, request: { variables }, contextValue: createGraphContext(clients, undefined) } as never);
    return undefined;
  } catch (error) {
    assert.ok(error instanceof GraphQLError, String(error));
    return error;
  }
}

describe('pre-execution checks of an operation asked again', () => {
  const document = parse('query Audit($iccid: String!, $first: Int) { cellularDevice(iccid: $iccid) { auditEvents(first: $first) { totalCount } } }');
  const iccid = '89011704278930000137';

  it('pass again with the same variables, and refuse variables over a limit after passing others', async () => {
    assert.equal(await check(document, { iccid, first: 20 }), undefined);
    assert.equal(await check(document, { iccid, first: 20 }), undefined);
    const tooMany = await check(document, { iccid, first: 100_000 });
    assert.equal(tooMany?.extensions.code, 'BAD_USER_INPUT');
    assert.deepEqual(tooMany?.extensions.http, { status: 200 });
    const badIccid = await check(document, { iccid: 'not-an-iccid', first: 20 });
    assert.equal(badIccid?.extensions.code, 'BAD_USER_INPUT');
    assert.equal(await check(document, { iccid, first: 20 }), undefined);
  });

  it('refuse the same variables every time they are refused', async () => {
    for (let attempt = 0; attempt < 3; attempt++) {
      assert.equal((await check(document, { iccid, first: 100_000 }))?.extensions.code, 'BAD_USER_INPUT', `attempt ${attempt}`);
    }
  });

  it('pass other variables past the ones remembered, each checked', async () => {
    for (let first = 1; first <= 40; first++) assert.equal(await check(document, { iccid, first }), undefined, `first: ${first}`);
    assert.equal((await check(document, { iccid: '123', first: 1 }))?.extensions.code, 'BAD_USER_INPUT');
  });
});
