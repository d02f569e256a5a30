import type { ListSource } from '../connections/list-reader.js';
import { countPart, idCodec, oneOfPart, optionalTextPart, textPart, vendorIdPart } from '../ids.js';
import type { CertificateModel, UserActivityModel } from '../models.js';
import type { Loaders } from '../loaders/index.js';
import { isValidKobilUserName, type KobilLogItem } from '../../vendors/kobil/client.js';
import { USER_LOGS_PAGING } from '../../vendors/kobil/contract.js';

/** `KobilUser` IDs. */
export const KOBIL_USER_ID = idCodec('KobilUser', { userName: vendorIdPart(isValidKobilUserName) });

/** `UserActivity` IDs: the user, and the entry's position and key in the user's log. */
export const USER_ACTIVITY_ID = idCodec('UserActivity', { userName: vendorIdPart(isValidKobilUserName), position: countPart, key: textPart });

/** The IDs of certificates KOBIL names: all KOBIL tells of one. */
export const KOBIL_CERTIFICATE_ID = idCodec('Certificate', { vendor: oneOfPart(['KOBIL']), issuer: optionalTextPart, serialNumber: textPart });

/** A KOBIL user's activity log, as a list the connection engine pages. */
export interface ActivitySource extends ListSource<KobilLogItem> {
  readonly userName: string;
}

export function activitySource(loaders: Loaders, userName: string): ActivitySource {
  return {
    id: `kobil:activity:${userName}`,
    userName,
    paging: USER_LOGS_PAGING,
    reportsTotal: USER_LOGS_PAGING.reportsTotal,
    async fetch(offset, limit) {
      const page = await loaders.userLogs.load({ userName, offset, limit });
      return { items: page.items, hasMore: page.moreResultsAvailable, total: null };
    },
    key: (item) => item.key,
  };
}

/** KOBIL's `details`, `key=KS.IP; owner=OWNER_DEVICE`, as ordered entries. */
export function parseDetails(details: string | null): { key: string; value: string }[] {
  if (!details) return [];
  return details
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .map((part) => {
      const at = part.indexOf('=');
      return at < 0 ? { key: part, value: '' } : { key: part.slice(0, at).trim(), value: part.slice(at + 1).trim() };
    });
}

/** A certificate KOBIL names in a log entry: its serial number and issuer are all KOBIL tells. */
export function kobilCertificate(issuer: string | null, serialNumber: string): CertificateModel {
  return {
    id: KOBIL_CERTIFICATE_ID.encode({ vendor: 'KOBIL', issuer, serialNumber }),
    vendor: 'KOBIL',
    commonName: null,
    issuer,
    serialNumber,
    state: null,
    keyPairAlias: null,
    errorCode: null,
    errorMessage: null,
    updatedAt: null,
    certificateData: null,
  };
}

/** A log entry at `position` of its user's log as a `UserActivity` (a `ToNode`: built once per cached answer). */
export function toUserActivity(item: KobilLogItem, position: number, { userName }: ActivitySource): UserActivityModel {
  return {
    __typename: 'UserActivity',
    id: USER_ACTIVITY_ID.encode({ userName, position, key: item.key }),
    vendor: 'KOBIL',
    occurredAt: item.logDate,
    action: item.action,
    actor: item.userId,
    device: item.deviceId ? { vendor: 'KOBIL', vendorDeviceId: item.deviceId, displayName: null, organizationId: null } : null,
    certificate: item.certificateSerialNumber ? kobilCertificate(item.issuerDN, item.certificateSerialNumber) : null,
    actionCode: item.action,
    details: item.details,
    detailEntries: parseDetails(item.details),
    archived: item.archived,
    status: item.status,
  };
}
