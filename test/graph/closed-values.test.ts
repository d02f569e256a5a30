/**
 * Closed value sets a vendor documents, as enums: Control Center's change statuses become
 * `DeviceChangeStatus`, with `OTHER` (and the raw `status`) for a status the vendor adds later.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isEnumType } from 'graphql';
import { changeStatus } from '../../src/graph/sources/control-center.js';
import { buildDeviceGraphSchema } from '../../src/graph/schema.js';
import { CONTROL_CENTER_FIXTURES } from '../../src/simulators/control-center/simulator.js';
import { CONTROL_CENTER_CHANGE_STATUSES } from '../../src/vendors/control-center/contract.js';
import { startGraphHarness, type GraphHarness } from '../support/graph-harness.js';

describe('DeviceChangeStatus', () => {
  it('has one value per status Control Center documents, and OTHER', () => {
    const type = buildDeviceGraphSchema().getType('DeviceChangeStatus');
    assert.ok(isEnumType(type), 'DeviceChangeStatus is an enum');
    const documented = CONTROL_CENTER_CHANGE_STATUSES.map((status) => changeStatus(status));
    assert.deepEqual(
      type.getValues().map((value) => value.name),
      [...documented, 'OTHER'],
      'the enum is the documented statuses, in the reference page order, then OTHER',
    );
  });

  it('maps each documented word whatever its case, anything else to OTHER, and no status to null', () => {
    assert.equal(changeStatus('WaitingRetry'), 'WAITING_RETRY');
    assert.equal(changeStatus('Executed'), 'EXECUTED');
    assert.equal(changeStatus('EXECUTED'), 'EXECUTED');
    assert.equal(changeStatus('waiting_retry'), 'WAITING_RETRY');
    assert.equal(changeStatus('Suspended'), 'OTHER');
    assert.equal(changeStatus(''), 'OTHER');
    assert.equal(changeStatus(null), null);
  });

  describe('over HTTP', () => {
    let harness: GraphHarness;
    before(async () => {
      harness = await startGraphHarness();
    });
    after(async () => {
      await harness?.close();
    });

    it('every Control Center change carries its status as the enum beside the vendor’s word', async () => {
      const response = await harness.query(
        `query ($iccid: String!) { cellularDevice(iccid: $iccid) { auditEvents(first: 100, daysOfHistory: 365) {
          nodes { ... on DeviceFieldChange { status changeStatus } }
        } } }`,
        { iccid: CONTROL_CENTER_FIXTURES.iccidWith137Records },
      );
      assert.equal(response.errors, undefined, JSON.stringify(response.errors));
      const changes: Array<{ status: string | null; changeStatus: string | null }> = response.data.cellularDevice.auditEvents.nodes;
      assert.equal(changes.length, 100, 'a page of 100 changes');
      for (const change of changes) assert.equal(change.changeStatus, changeStatus(change.status), `status ${change.status}`);
      const seen = new Set(changes.map((change) => change.changeStatus));
      assert.ok(seen.has('EXECUTED') && seen.size >= 3, `several statuses appear: ${[...seen].join(', ')}`);
      assert.ok(!seen.has('OTHER'), 'the simulator speaks only documented statuses');
    });
  });
});
