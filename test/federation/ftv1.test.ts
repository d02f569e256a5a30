/**
 * Federated tracing (ftv1): a gateway that reports usage asks each subgraph for a trace of its part
 * of the query with the `apollo-federation-include-trace: ftv1` header, and Apollo's inline-trace
 * plugin answers it in `extensions.ftv1`. devicegraph must keep that working whatever it does to
 * the execution path: the trace names every field that resolved, records a failing vendor's field
 * as an error there, and masks that error's text (the gateway forwards traces to Apollo's usage
 * reporting, outside the team's own logs). Without the header no trace is built.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Trace } from '@apollo/usage-reporting-protobuf';
import { FEDERATED_TRACE_HEADER } from '../../src/graph/federated-tracing.js';
import { iccid } from '../support/all-vendors.js';
import { startGraphHarness, type GraphHarness, type GraphQLResponse } from '../support/graph-harness.js';
import { SINGLE_ATTEMPT } from '../support/single-attempt.js';

const QUERY = `{ cellularDevice(iccid: "${iccid}") { id vendorDeviceId auditEvents(first: 2) { totalCount edges { cursor node { id occurredAt } } } } }`;

type TracedResponse = GraphQLResponse & { extensions?: { ftv1?: string } };

describe('federated tracing (ftv1)', () => {
  let harness: GraphHarness;
  before(async () => {
    harness = await startGraphHarness({ callPolicy: SINGLE_ATTEMPT.policy });
  });
  after(() => harness.close());

  async function post(headers: Record<string, string>): Promise<TracedResponse> {
    const response = await fetch(harness.graph.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query: QUERY }),
    });
    assert.equal(response.status, 200);
    return (await response.json()) as TracedResponse;
  }

  /** The trace node at `responseNames` below the root (list indexes as numbers). */
  function nodeAt(trace: Trace, ...responseNames: Array<string | number>): Trace.INode | undefined {
    let node: Trace.INode | null | undefined = trace.root;
    for (const name of responseNames) {
      node = node?.child?.find((child) => (typeof name === 'number' ? child.index === name : child.responseName === name));
    }
    return node ?? undefined;
  }

  it('answers a trace of every field that resolved, beside the same data', async () => {
    const plain = await post({});
    assert.equal(plain.extensions?.ftv1, undefined, 'no trace unless asked');
    const traced = await post({ [FEDERATED_TRACE_HEADER]: 'ftv1' });
    assert.deepEqual(traced.data, plain.data);
    const trace = Trace.decode(Buffer.from(traced.extensions!.ftv1!, 'base64'));
    assert.ok(Number(trace.durationNs) > 0);
    assert.deepEqual(nodeAt(trace, 'cellularDevice')?.child?.map((node) => node.responseName).sort(), ['auditEvents', 'id', 'vendorDeviceId']);
    assert.deepEqual(nodeAt(trace, 'cellularDevice', 'auditEvents')?.child?.map((node) => node.responseName).sort(), ['edges', 'totalCount']);
    for (const index of [0, 1]) {
      const edge = nodeAt(trace, 'cellularDevice', 'auditEvents', 'edges', index);
      assert.deepEqual(edge?.child?.map((node) => node.responseName).sort(), ['cursor', 'node']);
      assert.deepEqual(nodeAt(trace, 'cellularDevice', 'auditEvents', 'edges', index, 'node')?.child?.map((node) => node.responseName).sort(), ['id', 'occurredAt']);
    }
  });

  it('records a failing vendor field as a masked error in the trace', async () => {
    harness.running.simulators.CISCO_CONTROL_CENTER!.setFault({ kind: 'server-error' });
    try {
      const traced = await post({ [FEDERATED_TRACE_HEADER]: 'ftv1' });
      assert.deepEqual(traced.errors?.map((error) => [error.path, error.extensions?.code]), [[['cellularDevice', 'auditEvents'], 'VENDOR_UNAVAILABLE']]);
      const trace = Trace.decode(Buffer.from(traced.extensions!.ftv1!, 'base64'));
      const errors = nodeAt(trace, 'cellularDevice', 'auditEvents')?.error ?? [];
      assert.equal(errors.length, 1, 'the failing field carries its error');
      assert.equal(errors[0]!.message, '<masked>', 'no vendor detail leaves in a trace');
    } finally {
      harness.running.simulators.CISCO_CONTROL_CENTER!.setFault(null);
    }
  });
});
