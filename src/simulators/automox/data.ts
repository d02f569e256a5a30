import { SeededRandom } from '../random.js';
import type { AutomoxResultStatus, AutomoxWireResult } from '../../vendors/automox/contract.js';

/**
 * The seeded organizations, policies, executions and device results the Automox simulator
 * serves. Ids are fixed (tests and other modules name them through `AUTOMOX_FIXTURES`); the
 * device results behind them are drawn from a seeded PRNG, with timestamps relative to `now()`.
 */

const ORGANIZATION_ID = '6f1d2c8e-3b4a-4c5d-8e9f-0a1b2c3d4e5f';
const OTHER_ORGANIZATION_ID = '9a8b7c6d-5e4f-4a3b-9c2d-1e0f2a3b4c5d';
const PATCH_POLICY_ID = '56c0ba07-69f2-4f7c-b0a1-2bb0ed68578e';
const CHROME_POLICY_ID = 'c3a1f0d2-7b8e-4d6c-9a5b-3e2f1d0c9b8a';
const SMB_POLICY_ID = 'e7d6c5b4-a392-4817-b6f5-e4d3c2b1a098';
const OTHER_POLICY_ID = '2b3c4d5e-6f70-4182-93a4-b5c6d7e8f901';

/** The seeded ids and their list lengths, for tests and other modules to name instead of literals. */
export const AUTOMOX_FIXTURES = {
  /** The organization the simulator's API key belongs to. */
  organizationId: ORGANIZATION_ID,
  /** An organization that exists but the simulator's API key does not belong to (403). */
  otherOrganizationId: OTHER_ORGANIZATION_ID,
  /** "Patch Tuesday" (patch) run across the whole fleet. */
  executionWith1300Results: {
    organizationId: ORGANIZATION_ID,
    policyId: PATCH_POLICY_ID,
    executionToken: '10af9475-fd20-4189-bb9c-e1c707ff2670',
    resultCount: 1300,
  },
  /** An earlier run of "Patch Tuesday" on part of the fleet. */
  executionWith137Results: {
    organizationId: ORGANIZATION_ID,
    policyId: PATCH_POLICY_ID,
    executionToken: '4d2e8f1a-9c3b-4a5d-8e7f-6a5b4c3d2e1f',
    resultCount: 137,
  },
  /** "Install Google Chrome" (required_software) on a handful of devices. */
  executionWith12Results: {
    organizationId: ORGANIZATION_ID,
    policyId: CHROME_POLICY_ID,
    executionToken: 'a1b2c3d4-e5f6-4789-8abc-def012345678',
    resultCount: 12,
  },
  /** "Disable SMBv1" (custom) that has reported no device yet. */
  executionWith0Results: {
    organizationId: ORGANIZATION_ID,
    policyId: SMB_POLICY_ID,
    executionToken: 'f0e1d2c3-b4a5-4697-8877-665544332211',
    resultCount: 0,
  },
  /** An execution in the other organization, out of the simulator key's reach. */
  otherOrganizationExecution: {
    organizationId: OTHER_ORGANIZATION_ID,
    policyId: OTHER_POLICY_ID,
    executionToken: '7e6d5c4b-3a29-4817-a6f5-d4c3b2a19087',
    resultCount: 5,
  },
  /** A well-formed UUID that names nothing seeded. */
  unknownId: '00000000-0000-4000-8000-000000000000',
} as const;

/** One device result kept with its run time as a number, for sorting. */
export interface StoredResult {
  runTimeMs: number;
  wire: AutomoxWireResult;
}

interface Policy {
  uuid: string;
  name: string;
  type: 'patch' | 'required_software' | 'custom';
  /** Device results by execution token. */
  executions: Map<string, StoredResult[]>;
}

interface Device {
  id: number;
  uuid: string;
  os: 'windows' | 'mac' | 'linux';
  hostname: string;
  customName: string;
  deletedAtMs: number | null;
}

interface OrganizationSeed {
  id: string;
  fleetSize: number;
  policies: { uuid: string; name: string; type: Policy['type']; executions: { token: string; resultCount: number; hoursAgo: number }[] }[];
}

const FIXTURE = AUTOMOX_FIXTURES;
const SEEDS: OrganizationSeed[] = [
  {
    id: ORGANIZATION_ID,
    fleetSize: 1400,
    policies: [
      {
        uuid: PATCH_POLICY_ID,
        name: 'Patch Tuesday',
        type: 'patch',
        executions: [
          { token: FIXTURE.executionWith1300Results.executionToken, resultCount: 1300, hoursAgo: 50 },
          { token: FIXTURE.executionWith137Results.executionToken, resultCount: 137, hoursAgo: 170 },
        ],
      },
      {
        uuid: CHROME_POLICY_ID,
        name: 'Install Google Chrome',
        type: 'required_software',
        executions: [{ token: FIXTURE.executionWith12Results.executionToken, resultCount: 12, hoursAgo: 30 }],
      },
      {
        uuid: SMB_POLICY_ID,
        name: 'Disable SMBv1',
        type: 'custom',
        executions: [{ token: FIXTURE.executionWith0Results.executionToken, resultCount: 0, hoursAgo: 26 }],
      },
    ],
  },
  {
    id: OTHER_ORGANIZATION_ID,
    fleetSize: 20,
    policies: [
      {
        uuid: OTHER_POLICY_ID,
        name: 'Weekly Patching',
        type: 'patch',
        executions: [{ token: FIXTURE.otherOrganizationExecution.executionToken, resultCount: 5, hoursAgo: 40 }],
      },
    ],
  },
];

/** Weighted so that most devices applied the policy and every status shows up. */
const STATUS_WEIGHTS: readonly [AutomoxResultStatus, number][] = [
  ['applied', 55],
  ['failed', 15],
  ['pending', 10],
  ['not_applicable', 12],
  ['not_included', 8],
];
const FIRST_NAMES = ['Marcus', 'Aisha', 'Chris', 'Dana', 'Elif', 'James', 'Kenji', 'Lucia', 'Nikos', 'Priya', 'Tomas', 'Yara'];
const MODELS: Record<Device['os'], readonly string[]> = {
  windows: ['ThinkPad X1', 'Surface Laptop', 'Dell Latitude', 'Front Desk PC'],
  mac: ['Macbook Pro', 'Macbook Air', 'iMac'],
  linux: ['Build Box', 'Dev Workstation'],
};
const MAC_UPDATES = ['macOS Sonoma 14.4.1', 'Safari 17.4.1', 'Command Line Tools for Xcode 15.3'];
const LINUX_UPDATES = ['openssl 3.0.2-0ubuntu1.15', 'curl 7.81.0-1ubuntu1.16', 'linux-image-5.15.0-101-generic'];
const FAILURE_REASONS = ['Patch installation failed', 'Device rebooted during installation', 'Insufficient disk space'];
const SECOND = 1000;
const HOUR = 3600 * SECOND;

/** Wire timestamps look like the doc's sample: ISO-8601, whole seconds, `Z`. */
function wireTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The organizations, policies and device results one simulator serves; mutated only by `insertAtHead`. */
export class AutomoxDataset {
  readonly #random: SeededRandom;
  readonly #now: () => Date;
  /** Policies by organization id, then by policy id. */
  readonly #organizations = new Map<string, Map<string, Policy>>();
  #nextDeviceId = 250_601;
  #latestRunTimeMs = 0;

  constructor(options: { seed: number; now: () => Date }) {
    this.#random = new SeededRandom(options.seed);
    this.#now = options.now;
    const nowMs = Math.floor(this.#now().getTime() / SECOND) * SECOND;
    for (const seed of SEEDS) this.#seedOrganization(seed, nowMs);
  }

  /**
   * The device results of one execution, or why there are none: the policy is not in the
   * organization, or the policy has no execution with that token.
   */
  findExecution(organizationId: string, policyId: string, executionToken: string): StoredResult[] | 'no-policy' | 'no-execution' {
    const policy = this.#organizations.get(organizationId.toLowerCase())?.get(policyId.toLowerCase());
    if (!policy) return 'no-policy';
    return policy.executions.get(executionToken.toLowerCase()) ?? 'no-execution';
  }

  /** Adds one new device, and its result run at `now()` (newer than every other), to every execution. */
  insertAtHead(): void {
    const runTimeMs = Math.max(Math.floor(this.#now().getTime() / SECOND) * SECOND, this.#latestRunTimeMs + SECOND);
    for (const policies of this.#organizations.values()) {
      const device = this.#newDevice(null);
      for (const policy of policies.values()) {
        for (const results of policy.executions.values()) results.push(this.#result(device, policy, 'applied', runTimeMs));
      }
    }
  }

  #seedOrganization(seed: OrganizationSeed, nowMs: number): void {
    const fleet = Array.from({ length: seed.fleetSize }, () => this.#newDevice(nowMs));
    const policies = new Map<string, Policy>();
    for (const policySeed of seed.policies) {
      const policy: Policy = { uuid: policySeed.uuid, name: policySeed.name, type: policySeed.type, executions: new Map() };
      for (const execution of policySeed.executions) {
        const devices = this.#shuffled(fleet).slice(0, execution.resultCount);
        let runTimeMs = nowMs - execution.hoursAgo * HOUR;
        const results = devices.map((device) => {
          runTimeMs += this.#random.int(1, 20) * SECOND;
          return this.#result(device, policy, this.#status(), runTimeMs);
        });
        policy.executions.set(execution.token, results);
      }
      policies.set(policy.uuid, policy);
    }
    this.#organizations.set(seed.id, policies);
  }

  /** A device of the fleet; seeded ones (given `nowMs`) are sometimes deleted since their runs. */
  #newDevice(nowMs: number | null): Device {
    const random = this.#random;
    const id = this.#nextDeviceId++;
    const os = random.pick(['windows', 'windows', 'windows', 'mac', 'mac', 'linux'] as const);
    const first = random.pick(FIRST_NAMES);
    const hostname =
      os === 'windows'
        ? `WIN-${this.#upperAlphanumeric(11)}`
        : os === 'mac'
          ? `${first}-MacBook-${id}`
          : `ubuntu-${random.pick(['web', 'db', 'build', 'cache'])}-${id}`;
    const possessive = first.endsWith('s') ? `${first}'` : `${first}'s`;
    const customName = random.next() < 0.45 ? `${possessive} ${random.pick(MODELS[os])}` : '';
    const deleted = nowMs !== null && random.next() < 0.03;
    return { id, uuid: random.uuid(), os, hostname, customName, deletedAtMs: deleted ? nowMs - random.int(1, 12 * 3600) * SECOND : null };
  }

  #result(device: Device, policy: Policy, status: AutomoxResultStatus, runTimeMs: number): StoredResult {
    const random = this.#random;
    this.#latestRunTimeMs = Math.max(this.#latestRunTimeMs, runTimeMs);
    const attempted = status === 'not_applicable' || status === 'not_included' ? [] : this.#patches(device, policy);
    const outcome = this.#outcome(status, policy, attempted);
    const eventTimeMs =
      status === 'pending' ? null : status === 'applied' || status === 'failed' ? runTimeMs + random.int(5, 600) * SECOND : runTimeMs;
    return {
      runTimeMs,
      wire: {
        device_id: device.id,
        device_uuid: device.uuid,
        hostname: device.hostname,
        custom_name: device.customName,
        display_name: device.customName || device.hostname,
        result_status: status,
        'result-reason': outcome.reason,
        run_time: wireTimestamp(runTimeMs),
        event_time: eventTimeMs === null ? null : wireTimestamp(eventTimeMs),
        patches: attempted,
        stdout: outcome.stdout,
        stderr: outcome.stderr,
        error_code: outcome.errorCode,
        device_deleted_at: device.deletedAtMs === null ? null : wireTimestamp(device.deletedAtMs),
        policy_uuid: policy.uuid,
        policy_name: policy.name,
        policy_type: policy.type,
      },
    };
  }

  #outcome(
    status: AutomoxResultStatus,
    policy: Policy,
    patches: string[],
  ): { reason: string; stdout: string; stderr: string; errorCode: number | null } {
    const random = this.#random;
    switch (status) {
      case 'applied': {
        const stdout = policy.type === 'custom' ? 'Remediation completed\n' : patches.map((p) => `Successfully installed ${p}\n`).join('');
        return { reason: '', stdout, stderr: '', errorCode: 0 };
      }
      case 'failed': {
        const code = random.pick([1, 2, 1603, 1618]);
        const what = patches[0] ?? 'remediation script';
        return {
          reason: random.pick(FAILURE_REASONS),
          stdout: `Installing ${what}...\n`,
          stderr: `Installation of ${what} failed with exit code ${code}\n`,
          errorCode: code,
        };
      }
      case 'pending':
        return { reason: 'Waiting for the device to check in', stdout: '', stderr: '', errorCode: null };
      case 'not_applicable':
        return {
          reason: policy.type === 'required_software' ? 'Software already installed at the required version' : 'No applicable patches',
          stdout: '',
          stderr: '',
          errorCode: 0,
        };
      case 'not_included':
        return { reason: 'Device is not in a group this policy targets', stdout: '', stderr: '', errorCode: null };
    }
  }

  #patches(device: Device, policy: Policy): string[] {
    const random = this.#random;
    if (policy.type === 'custom') return [];
    if (policy.type === 'required_software') return ['Google Chrome 123.0.6312.86'];
    if (device.os === 'mac') return [random.pick(MAC_UPDATES)];
    if (device.os === 'linux') return [random.pick(LINUX_UPDATES)];
    const count = random.int(1, 3);
    return Array.from({ length: count }, () => `KB50${random.int(10_000, 49_999)}`);
  }

  #status(): AutomoxResultStatus {
    let roll = this.#random.int(1, 100);
    for (const [status, weight] of STATUS_WEIGHTS) {
      roll -= weight;
      if (roll <= 0) return status;
    }
    return 'applied';
  }

  #shuffled<T>(items: readonly T[]): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i -= 1) {
      const j = this.#random.int(0, i);
      [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
    }
    return copy;
  }

  #upperAlphanumeric(length: number): string {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
    let out = '';
    while (out.length < length) out += alphabet[this.#random.int(0, alphabet.length - 1)];
    return out;
  }
}
