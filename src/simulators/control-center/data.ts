import { SeededRandom } from '../random.js';
import type { ControlCenterChangeStatus } from '../../vendors/control-center/contract.js';

/** One change record as the simulator keeps it; `undefined` fields are left out of the JSON. */
export interface SimulatedChange {
  field: string;
  /** `undefined` or `''` the first time the field was set (the simulator serves both spellings). */
  priorValue: string | undefined;
  value: string;
  effectiveDate: Date;
  status: ControlCenterChangeStatus;
  userName: string;
  /** `''` when nobody acted on the user's behalf. */
  delegatedUser: string;
  ipAddress: string;
}

const USERS = ['ops.admin', 'jsmith', 'mgarcia', 'lchen', 'api.integration', 'support.tier2'] as const;

/** Device fields Control Center audits, each with a generator of plausible values. */
const FIELDS: ReadonlyArray<readonly [string, (random: SeededRandom) => string]> = [
  ['SIM Status', (r) => r.pick(['ACTIVATED', 'DEACTIVATED', 'INVENTORY', 'ACTIVATION_READY', 'TEST_READY', 'RETIRED'])],
  ['Rate Plan', (r) => r.pick(['IoT Pooled 1MB', 'IoT Pooled 10MB', 'Fleet Telematics 50MB', 'Smart Meter 500KB'])],
  ['Communication Plan', (r) => r.pick(['Data + SMS', 'Data Only', 'SMS Only'])],
  ['Device ID', (r) => `DEV-${r.hex(8).toUpperCase()}`],
  ['Modem ID', (r) => `35${String(r.int(0, 999_999_999)).padStart(9, '0')}${String(r.int(0, 9999)).padStart(4, '0')}`],
  ['Overage Limit Override', (r) => r.pick(['DEFAULT', 'TEMPORARY_OVERRIDE', 'PERMANENT_OVERRIDE'])],
  ['Customer', (r) => r.pick(['Acme Logistics', 'Northwind Utilities', 'Contoso Fleet', 'Globex Metering'])],
  ['SIM Notes', (r) => r.pick(['Installed in truck', 'Returned for RMA', 'Moved to spare pool', 'Field test unit'])],
];

/** Mostly executed changes, with every other documented status now and then. */
const STATUS_WEIGHTS: ReadonlyArray<readonly [ControlCenterChangeStatus, number]> = [
  ['Executed', 70],
  ['Pending', 5],
  ['Running', 5],
  ['Error', 6],
  ['Deleted', 4],
  ['Cancelled', 5],
  ['WaitingRetry', 5],
];

/**
 * The audit trail of one simulated device, newest first. Each field's changes chain: a change's
 * `priorValue` is the value the field's previous change set.
 */
export class DeviceAuditHistory {
  readonly iccid: string;
  /** Newest first. */
  readonly changes: SimulatedChange[] = [];
  readonly #random: SeededRandom;
  readonly #currentValues = new Map<string, string>();

  /** `ages` are how long before `anchor` each seeded change happened, in milliseconds, any order. */
  constructor(iccid: string, seed: number, anchor: Date, ages: readonly number[]) {
    this.iccid = iccid;
    this.#random = new SeededRandom(seed);
    const oldestFirst = [...ages].sort((a, b) => b - a);
    for (const age of oldestFirst) this.record(new Date(anchor.getTime() - age));
  }

  /** Effective date of the newest change, if any. */
  get newest(): Date | undefined {
    return this.changes[0]?.effectiveDate;
  }

  /** Records a new change at `effectiveDate`, which must be newer than every change so far. */
  record(effectiveDate: Date): SimulatedChange {
    const random = this.#random;
    const [field, generate] = random.pick(FIELDS);
    const previous = this.#currentValues.get(field);
    let value = generate(random);
    for (let tries = 0; value === previous && tries < 10; tries += 1) value = generate(random);
    this.#currentValues.set(field, value);
    const userName = random.pick(USERS);
    const change: SimulatedChange = {
      field,
      priorValue: previous ?? (random.next() < 0.5 ? undefined : ''),
      value,
      effectiveDate,
      status: weightedStatus(random),
      userName,
      delegatedUser: random.next() < 0.15 ? random.pick(USERS.filter((user) => user !== userName)) : '',
      ipAddress: `198.51.100.${random.int(1, 254)}`,
    };
    this.changes.unshift(change);
    return change;
  }
}

function weightedStatus(random: SeededRandom): ControlCenterChangeStatus {
  const total = STATUS_WEIGHTS.reduce((sum, [, weight]) => sum + weight, 0);
  let roll = random.next() * total;
  for (const [status, weight] of STATUS_WEIGHTS) {
    roll -= weight;
    if (roll < 0) return status;
  }
  return 'Executed';
}
