import { z } from 'zod';
import { isoTimestamp } from '../timestamps.js';
import { OBJECT_ID } from './contract.js';

/** One certificate entry of a history snapshot, normalized; the secret `challenge` and raw identity data are gone. */
export interface AppliveryCertificate {
  /** The entry's index in its snapshot, as a string: snapshots are immutable, so it never shifts. */
  key: string;
  commonName: string | null;
  /** The doc types `isIdentity` as "any"; only a JSON boolean is taken, anything else is `null`. */
  isIdentity: boolean | null;
  /** Whether the vendor reported a (masked) client identity; the masked value itself is dropped. */
  hasClientIdentity: boolean;
  /** `mdmAsset` or `certificateProvider` per the doc; kept as text so a new origin does not break the graph. */
  origin: string;
  /** The doc types `originId` as "any": a string is kept, a number becomes its text, anything else `null`. */
  originId: string | null;
  state: 'installed' | 'fail' | 'pending' | string;
  errorCode: string | null;
  errorMessage: string | null;
  updatedAt: Date;
  keyPairAlias: string;
  numFailedRetries: number | null;
}

/** One certificate report history snapshot, normalized. */
export interface AppliveryCertificateReport {
  id: string;
  reportedAt: Date;
  createdAt: Date;
  /** The vendor's own count of entries in the snapshot. */
  totalReports: number;
  /** Entry counts per reported state, as the vendor sent them (states with no entries may be absent). */
  reportsByState: Record<string, number>;
  certificates: AppliveryCertificate[];
}

/**
 * A certificate entry as documented. `challenge` and `certificateInfo` are deliberately not
 * declared: zod strips undeclared keys, so those values never leave this boundary, and a vendor
 * that stops sending them does not break the graph. Length limits are the vendor's to keep and
 * are not enforced here, so one long error message cannot hide a whole report.
 */
const certificateEntrySchema = z.object({
  commonName: z.string().nullish(),
  isIdentity: z.unknown().optional(),
  clientIdentity: z.string().nullish(),
  origin: z.string(),
  originId: z.unknown(),
  state: z.string(),
  errorCode: z.string().nullish(),
  errorMessage: z.string().nullish(),
  updatedAt: isoTimestamp,
  keyPairAlias: z.string(),
  numFailedRetries: z.number().int().nonnegative().nullish(),
});

/** The documented 200 body of "Get certificate report history item". */
export const certificateReportResponseSchema = z.object({
  status: z.literal(true),
  data: z.object({
    id: z.string().regex(OBJECT_ID),
    reportedAt: isoTimestamp,
    totalReports: z.number().int().nonnegative(),
    reportsByState: z.record(z.string(), z.number().int().nonnegative()),
    createdAt: isoTimestamp,
    certificateReport: z.array(certificateEntrySchema),
  }),
});

type CertificateReportData = z.infer<typeof certificateReportResponseSchema>['data'];
type CertificateEntry = z.infer<typeof certificateEntrySchema>;

/** Turns a validated snapshot into the normalized report devicegraph uses. */
export function toCertificateReport(data: CertificateReportData): AppliveryCertificateReport {
  return {
    id: data.id,
    reportedAt: data.reportedAt,
    createdAt: data.createdAt,
    totalReports: data.totalReports,
    reportsByState: { ...data.reportsByState },
    certificates: data.certificateReport.map(toCertificate),
  };
}

function toCertificate(entry: CertificateEntry, index: number): AppliveryCertificate {
  return {
    key: String(index),
    commonName: entry.commonName ?? null,
    isIdentity: typeof entry.isIdentity === 'boolean' ? entry.isIdentity : null,
    hasClientIdentity: typeof entry.clientIdentity === 'string' && entry.clientIdentity.length > 0,
    origin: entry.origin,
    originId: originIdText(entry.originId),
    state: entry.state,
    errorCode: entry.errorCode ?? null,
    errorMessage: entry.errorMessage ?? null,
    updatedAt: entry.updatedAt,
    keyPairAlias: entry.keyPairAlias,
    numFailedRetries: entry.numFailedRetries ?? null,
  };
}

function originIdText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}
