import { SeededRandom } from '../random.js';
import type { KobilLogRecordJson } from '../../vendors/kobil/contract.js';

/** A device of a seeded user: the fields every log entry about it repeats. */
interface SeededDevice {
  deviceId: string;
  certificateSerialNumber: string;
  issuerDN: string;
}

/** `owner=OWNER_DEVICE` keys the doc's sample shows on action 35. */
const DETAIL_KEYS = ['KS.IP', 'KS.qrcodeNonce', 'KS.geoLocation'] as const;

/** Action codes of the doc's sample, weighted roughly as often as it shows them. */
const ACTIONS = ['35', '35', '35', '13', '22'] as const;

const ALPHANUMERIC = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'];

/**
 * Every seeded user's log, newest first, with ids and `logDate`s strictly decreasing along each
 * list. Ids are unique across users, as the sample's six-digit ids suggest a global sequence.
 */
export class KobilLogStore {
  readonly #random: SeededRandom;
  readonly #now: () => Date;
  readonly #logs = new Map<string, KobilLogRecordJson[]>();
  readonly #devices = new Map<string, SeededDevice[]>();
  #nextId = 183_700;

  /** Seeds `logCounts[userName]` entries for each user, the newest a few minutes before `now()`. */
  constructor(options: { seed: number; now: () => Date; logCounts: Readonly<Record<string, number>> }) {
    this.#random = new SeededRandom(options.seed);
    this.#now = options.now;
    const nowSeconds = Math.floor(this.#now().getTime() / 1000);
    for (const [userName, count] of Object.entries(options.logCounts)) {
      const devices = Array.from({ length: this.#random.int(1, 3) }, () => this.#device());
      this.#devices.set(userName, devices);
      // Walk back in time from the newest entry, then number the entries oldest first.
      const dates: number[] = [];
      let logDate = nowSeconds - this.#random.int(60, 3_600);
      for (let i = 0; i < count; i += 1) {
        dates.push(logDate);
        logDate -= this.#random.int(2, 6 * 3_600);
      }
      const oldestFirst = dates.reverse().map((date) => this.#record(userName, devices, date));
      this.#logs.set(userName, oldestFirst.reverse());
    }
  }

  /** The user's log, newest first, or `undefined` for an unknown user. */
  logsOf(userName: string): readonly KobilLogRecordJson[] | undefined {
    return this.#logs.get(userName);
  }

  /** Adds one entry, newer than every other, at the head of every user's log. */
  insertAtHead(): void {
    const nowSeconds = Math.floor(this.#now().getTime() / 1000);
    for (const [userName, logs] of this.#logs) {
      const head = logs[0];
      const logDate = head ? Math.max(nowSeconds, Number(head.logDate) + 1) : nowSeconds;
      logs.unshift(this.#record(userName, this.#devices.get(userName) ?? [this.#device()], logDate));
    }
  }

  #record(userName: string, devices: readonly SeededDevice[], logDate: number): KobilLogRecordJson {
    const device = this.#random.pick(devices);
    const action = this.#random.pick(ACTIONS);
    const details = action === '35' ? `key=${this.#random.pick(DETAIL_KEYS)}; owner=OWNER_DEVICE` : undefined;
    const id = this.#nextId;
    this.#nextId += this.#random.int(1, 3);
    return {
      action,
      archived: this.#random.next() < 0.1,
      certificateSerialNumber: device.certificateSerialNumber,
      ...(details === undefined ? {} : { details }),
      deviceId: device.deviceId,
      id,
      issuerDN: device.issuerDN,
      logDate: String(logDate),
      status: '0',
      userId: userName,
    };
  }

  #device(): SeededDevice {
    const uid = Array.from({ length: 10 }, () => this.#random.pick(ALPHANUMERIC)).join('');
    return {
      deviceId: String(this.#random.int(1_000, 9_999)),
      certificateSerialNumber: String(this.#random.int(1_000_000_000, 2_147_483_647)),
      issuerDN: `CN=asm internal ca ${this.#random.uuid()},UID=${uid},O=KOBIL SYSTEMS,C=DE`,
    };
  }
}
