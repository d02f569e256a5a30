/**
 * The simulators' latency and call log over real HTTP: a healthy answer is made when the request
 * arrives, yet a fault set while it waits out its latency still strikes it when its answer is due;
 * with `recordAnswers` the call log keeps each answer's content type and bytes as sent (what the
 * bench's floor replays).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'undici';
import { startSimulators, type RunningSimulators } from '../src/simulators/index.js';
import { CONTROL_CENTER_FIXTURES, CONTROL_CENTER_SIMULATOR_CREDENTIALS } from '../src/simulators/control-center/simulator.js';
import { auditTrailsPath } from '../src/vendors/control-center/contract.js';

const LATENCY_MS = 150;
const { username, apiKey } = CONTROL_CENTER_SIMULATOR_CREDENTIALS;
const PATH = `${auditTrailsPath(CONTROL_CENTER_FIXTURES.iccidWith137Records)}?daysOfHistory=30&pageNumber=1&pageSize=5`;

describe('simulator latency and recorded answers', () => {
  let running: RunningSimulators;
  let client: Client;

  before(async () => {
    running = await startSimulators(['CISCO_CONTROL_CENTER'], { knobs: { latencyMs: LATENCY_MS } });
    client = new Client(running.simulators.CISCO_CONTROL_CENTER!.url);
  });

  after(async () => {
    await client.close();
    await running.close();
  });

  const get = async () => {
    const response = await client.request({
      method: 'GET',
      path: PATH,
      headers: { authorization: `Basic ${Buffer.from(`${username}:${apiKey}`).toString('base64')}` },
    });
    const body = await response.body.text();
    return { status: response.statusCode, contentType: response.headers['content-type'], body };
  };

  it('records each answer as sent when asked to', async () => {
    const simulator = running.simulators.CISCO_CONTROL_CENTER!;
    simulator.knobs.recordAnswers = true;
    simulator.clearCalls();
    const answer = await get();
    simulator.knobs.recordAnswers = false;
    assert.equal(answer.status, 200);
    assert.equal(JSON.parse(answer.body).deviceAuditTrails.length, 5);
    assert.deepEqual(simulator.calls.map((call) => call.answer), [{ contentType: answer.contentType, body: answer.body }]);

    simulator.clearCalls();
    await get();
    assert.equal(simulator.calls[0]!.answer, undefined, 'not recorded unless asked');
  });

  it('a fault set while a request waits strikes it when its answer is due', async () => {
    const simulator = running.simulators.CISCO_CONTROL_CENTER!;
    const pending = get();
    await sleep(LATENCY_MS / 3);
    simulator.setFault({ kind: 'server-error', times: 1 });
    assert.equal((await pending).status, 500);
    assert.equal((await get()).status, 200, 'the fault cleared after one request');
  });
});
