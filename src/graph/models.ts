import type { VendorName } from '../vendors/vendor.js';

/**
 * The objects resolvers pass around. The vendor sources (src/graph/sources/<vendor>.ts) build them
 * from normalized vendor records, so the graph's default resolvers can read most fields directly.
 */

export interface DeviceModel {
  vendor: VendorName;
  vendorDeviceId: string;
  displayName: string | null;
  /** The Applivery organization, needed to fetch an Applivery device's reports. */
  organizationId: string | null;
}

export type CertificateStateName = 'INSTALLED' | 'FAILED' | 'PENDING';

export interface CertificateModel {
  id: string;
  vendor: VendorName;
  commonName: string | null;
  issuer: string | null;
  serialNumber: string | null;
  state: CertificateStateName | null;
  keyPairAlias: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  updatedAt: Date | null;
  /** Raw certificate data (PEM or base64 DER); parsed for `x509`, never exposed as is. */
  certificateData: string | null;
}

export interface CertificateReportModel {
  organizationId: string;
  emmDeviceId: string;
  historyId: string;
  reportedAt: Date;
  createdAt: Date;
  totalReports: number;
  countsByState: { state: CertificateStateName; count: number }[];
}

/** Fields every audit event has. */
interface AuditEventBase {
  id: string;
  vendor: VendorName;
  occurredAt: Date;
  action: string;
  actor: string | null;
  device: DeviceModel | null;
  certificate: CertificateModel | null;
}

export type DeviceChangeStatusName = 'PENDING' | 'RUNNING' | 'EXECUTED' | 'ERROR' | 'DELETED' | 'CANCELLED' | 'WAITING_RETRY' | 'OTHER';

export interface DeviceFieldChangeModel extends AuditEventBase {
  __typename: 'DeviceFieldChange';
  field: string;
  priorValue: string | null;
  value: string | null;
  status: string | null;
  changeStatus: DeviceChangeStatusName | null;
  delegatedUser: string | null;
  ipAddress: string | null;
}

export interface UserActivityModel extends AuditEventBase {
  __typename: 'UserActivity';
  actionCode: string;
  details: string | null;
  detailEntries: { key: string; value: string }[];
  archived: boolean;
  status: string | null;
}

export const POLICY_RESULT_STATUSES = ['APPLIED', 'FAILED', 'PENDING', 'NOT_APPLICABLE', 'NOT_INCLUDED'] as const;

export type PolicyResultStatusName = (typeof POLICY_RESULT_STATUSES)[number];

export interface PolicyDeviceResultModel extends AuditEventBase {
  __typename: 'PolicyDeviceResult';
  resultStatus: PolicyResultStatusName | null;
  resultReason: string | null;
  patches: string[];
  stdout: string | null;
  stderr: string | null;
  exitCode: number | null;
  policyId: string;
  policyName: string | null;
  policyType: string | null;
  eventTime: Date | null;
  deviceDeletedAt: Date | null;
}

export interface CertificateAuthenticationModel extends AuditEventBase {
  __typename: 'CertificateAuthentication';
  failed: boolean;
}

export type AuditEventModel = DeviceFieldChangeModel | UserActivityModel | PolicyDeviceResultModel | CertificateAuthenticationModel;

export interface KobilUserModel {
  userName: string;
}

export interface PolicyExecutionModel {
  policyId: string;
  executionToken: string;
  organizationId: string;
}

export interface CertificateSubjectModel {
  subjectId: string;
}

/** Anything `Query.node` can return. */
export type NodeModel =
  | ({ __typename: 'Device' } & DeviceModel)
  | ({ __typename: 'Certificate' } & CertificateModel)
  | ({ __typename: 'CertificateReport' } & CertificateReportModel)
  | ({ __typename: 'KobilUser' } & KobilUserModel)
  | ({ __typename: 'PolicyExecution' } & PolicyExecutionModel)
  | ({ __typename: 'CertificateSubject' } & CertificateSubjectModel)
  | AuditEventModel;
