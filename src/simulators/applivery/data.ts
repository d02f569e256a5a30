import { SeededRandom } from '../random.js';

/** The seeded organizations, devices and history snapshots; ids are fixed, contents come from the seed. */
export const APPLIVERY_FIXTURES = {
  organizations: {
    northwind: { id: '64b7f0c2a1d4e5f6a7b8c9d0', slug: 'northwind-labs' },
    acme: { id: '65c0ffee00a1b2c3d4e5f601', slug: 'acme-corp' },
  },
  historyWith0Certificates: {
    organizationId: '64b7f0c2a1d4e5f6a7b8c9d0',
    emmDeviceId: '66a1f3c9e2b4d5a6b7c8d9e1',
    historyId: '6710a2b3c4d5e6f708192a00',
    certificateCount: 0,
  },
  historyWith3Certificates: {
    organizationId: '64b7f0c2a1d4e5f6a7b8c9d0',
    emmDeviceId: '66a1f3c9e2b4d5a6b7c8d9e2',
    historyId: '6710a2b3c4d5e6f708192a03',
    certificateCount: 3,
  },
  historyWith45Certificates: {
    organizationId: 'acme-corp',
    emmDeviceId: '66a1f3c9e2b4d5a6b7c8d9e3',
    historyId: '6710a2b3c4d5e6f708192a45',
    certificateCount: 45,
  },
  historyWith137Certificates: {
    organizationId: '64b7f0c2a1d4e5f6a7b8c9d0',
    emmDeviceId: '66a1f3c9e2b4d5a6b7c8d9e1',
    historyId: '6710a2b3c4d5e6f708192b37',
    certificateCount: 137,
  },
  /** A device of `acme-corp` with no stored history. */
  deviceWithoutHistory: { organizationId: 'acme-corp', emmDeviceId: '66a1f3c9e2b4d5a6b7c8d9e4' },
  /** A well-formed ObjectId that names nothing in the simulator. */
  unknownObjectId: 'ffffffffffffffffffffffff',
} as const;

/** The documented certificate states, and the order `reportsByState` lists them in. */
export const CERTIFICATE_STATES = ['installed', 'fail', 'pending'] as const;

/** One `certificateReport[]` entry exactly as the vendor sends it. */
export interface CertificateEntryWire {
  commonName?: string;
  isIdentity?: boolean;
  clientIdentity?: string;
  certificateInfo?: { subject: string; issuer: string; serialNumber: string; notBefore: string; notAfter: string };
  origin: 'mdmAsset' | 'certificateProvider';
  originId: string;
  state: (typeof CERTIFICATE_STATES)[number];
  errorCode?: string;
  errorMessage?: string;
  updatedAt: string;
  challenge: string;
  keyPairAlias: string;
  numFailedRetries?: number;
}

/** The documented `data` of a history snapshot, as the vendor sends it. */
export interface CertificateReportWire {
  id: string;
  reportedAt: string;
  totalReports: number;
  reportsByState: Record<string, number>;
  createdAt: string;
  certificateReport: CertificateEntryWire[];
}

/** A device and its stored snapshots, keyed by lower-case history id. */
export interface SeededDevice {
  organizationId: string;
  histories: Map<string, CertificateReportWire>;
}

/** The simulator's whole data set. */
export interface AppliverySeed {
  organizations: ReadonlyArray<{ id: string; slug: string }>;
  /** Keyed by lower-case EMM device id. */
  devices: Map<string, SeededDevice>;
}

const HOUR_MS = 3_600_000;

const FAILURES = [
  { code: 'KEY_GENERATION_FAILED', message: 'The device could not generate the key pair in the Android keystore.' },
  { code: 'SCEP_ENROLLMENT_FAILED', message: 'The SCEP server rejected the certificate signing request.' },
  { code: 'CHALLENGE_EXPIRED', message: 'The enrollment challenge expired before the device used it.' },
  { code: 'INSTALL_REJECTED', message: 'Android refused to install the certificate: the user cancelled the prompt.' },
  { code: 'INVALID_PKCS12_PASSWORD', message: 'The PKCS#12 bundle could not be opened with the configured password.' },
] as const;

const PURPOSES = ['wifi-eap-tls', 'vpn-client', 'mail-smime', 'intranet-ca', 'proxy-root'] as const;

/** Builds the seeded data; timestamps are relative to `now`, newest snapshot `reportedAt` first per device. */
export function buildSeed(seed: number, now: Date): AppliverySeed {
  const random = new SeededRandom(seed);
  const { northwind, acme } = APPLIVERY_FIXTURES.organizations;
  const f = APPLIVERY_FIXTURES;
  const devices = new Map<string, SeededDevice>();
  const device = (organizationId: string, emmDeviceId: string): SeededDevice => {
    const entry: SeededDevice = { organizationId, histories: new Map() };
    devices.set(emmDeviceId.toLowerCase(), entry);
    return entry;
  };
  const snapshot = (owner: SeededDevice, historyId: string, count: number, hoursAgo: number, domain: string): void => {
    const report = buildSnapshot(random, historyId, count, new Date(now.getTime() - hoursAgo * HOUR_MS), domain);
    owner.histories.set(historyId.toLowerCase(), report);
  };

  const pixel = device(northwind.id, f.historyWith137Certificates.emmDeviceId);
  snapshot(pixel, f.historyWith137Certificates.historyId, f.historyWith137Certificates.certificateCount, 2, northwind.slug);
  snapshot(pixel, f.historyWith0Certificates.historyId, f.historyWith0Certificates.certificateCount, 30, northwind.slug);
  const galaxy = device(northwind.id, f.historyWith3Certificates.emmDeviceId);
  snapshot(galaxy, f.historyWith3Certificates.historyId, f.historyWith3Certificates.certificateCount, 5, northwind.slug);
  const rugged = device(acme.id, f.historyWith45Certificates.emmDeviceId);
  snapshot(rugged, f.historyWith45Certificates.historyId, f.historyWith45Certificates.certificateCount, 1, acme.slug);
  device(acme.id, f.deviceWithoutHistory.emmDeviceId);

  return { organizations: [northwind, acme], devices };
}

function buildSnapshot(random: SeededRandom, id: string, count: number, reportedAt: Date, domain: string): CertificateReportWire {
  const originIds = { mdmAsset: [random.hex(24), random.hex(24)], certificateProvider: [random.hex(24), random.hex(24)] };
  const entries: CertificateEntryWire[] = [];
  for (let index = 0; index < count; index += 1) entries.push(buildEntry(random, index, reportedAt, domain, originIds));
  const reportsByState: Record<string, number> = {};
  for (const state of CERTIFICATE_STATES) {
    const n = entries.filter((entry) => entry.state === state).length;
    if (n > 0) reportsByState[state] = n;
  }
  return {
    id,
    reportedAt: reportedAt.toISOString(),
    totalReports: entries.length,
    reportsByState,
    createdAt: new Date(reportedAt.getTime() + random.int(200, 30_000)).toISOString(),
    certificateReport: entries,
  };
}

function buildEntry(
  random: SeededRandom,
  index: number,
  reportedAt: Date,
  domain: string,
  originIds: Record<CertificateEntryWire['origin'], string[]>,
): CertificateEntryWire {
  // The first entries take each state in turn, so every list of 3 or more holds every state.
  const state = CERTIFICATE_STATES[index] ?? pickState(random);
  const origin = random.pick(['mdmAsset', 'certificateProvider'] as const);
  const purpose = random.pick(PURPOSES);
  const isIdentity = origin === 'certificateProvider' || (!purpose.endsWith('-ca') && !purpose.endsWith('-root'));
  const updatedAt = new Date(reportedAt.getTime() - random.int(0, 7 * 24 * HOUR_MS));
  const commonName = isIdentity ? `${purpose}-${random.hex(6)}.${domain}.example` : `${domain} ${purpose} authority`;
  // Pending entries sometimes have no name or identity flag yet: the doc makes both optional.
  const named = state !== 'pending' || random.next() < 0.5;
  const failure = state === 'fail' ? random.pick(FAILURES) : undefined;
  const retries = state === 'fail' ? random.int(1, 5) : state === 'pending' ? random.int(0, 2) : undefined;
  // Fields in the doc's order; optional ones only when they apply.
  return {
    ...(named ? { commonName, isIdentity } : {}),
    ...(state === 'installed' && isIdentity ? { clientIdentity: '********' } : {}),
    ...(state === 'installed'
      ? {
          certificateInfo: {
            subject: `CN=${commonName}`,
            issuer: `CN=${domain} Issuing CA`,
            serialNumber: random.hex(32),
            notBefore: updatedAt.toISOString(),
            notAfter: new Date(updatedAt.getTime() + 365 * 24 * HOUR_MS).toISOString(),
          },
        }
      : {}),
    origin,
    originId: random.pick(originIds[origin]),
    state,
    ...(failure ? { errorCode: failure.code, errorMessage: failure.message } : {}),
    updatedAt: updatedAt.toISOString(),
    challenge: `scep-chl-${random.hex(40)}`,
    keyPairAlias: `${purpose}-${String(index + 1).padStart(3, '0')}`,
    ...(retries === undefined ? {} : { numFailedRetries: retries }),
  };
}

function pickState(random: SeededRandom): CertificateEntryWire['state'] {
  const roll = random.next();
  if (roll < 0.6) return 'installed';
  return roll < 0.85 ? 'fail' : 'pending';
}
