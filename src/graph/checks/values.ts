import { isValidObjectId, isValidOrganizationId } from '../../vendors/applivery/contract.js';
import { isValidIccid } from '../../vendors/control-center/client.js';
import { CONTROL_CENTER_DEFAULT_DAYS_OF_HISTORY, CONTROL_CENTER_MAX_DAYS_OF_HISTORY } from '../../vendors/control-center/contract.js';
import { isValidKobilUserName } from '../../vendors/kobil/client.js';
import { isValidSubjectId } from '../../vendors/naver-cloud/contract.js';
import { badUserInput } from '../errors.js';

/**
 * Checks of single argument values, the parts `field-arguments.ts` builds its table from: vendor
 * identifiers against the patterns the vendors document, and devicegraph's own limits. Each
 * returns the value to use or throws `BAD_USER_INPUT`.
 */

export function checkIccid(iccid: string, argumentName = 'iccid'): string {
  if (!isValidIccid(iccid)) throw badUserInput(`\`${argumentName}\` must be an ICCID: 19 or 20 digits starting with 89.`, argumentName);
  return iccid;
}

/** The days of audit trail a device's `auditEvents` reach: Control Center's default and limit. */
export function checkDaysOfHistory(days: number | null | undefined): number {
  if (days == null) return CONTROL_CENTER_DEFAULT_DAYS_OF_HISTORY;
  if (days < 1 || days > CONTROL_CENTER_MAX_DAYS_OF_HISTORY) {
    throw badUserInput(`\`daysOfHistory\` must be between 1 and ${CONTROL_CENTER_MAX_DAYS_OF_HISTORY}; it was ${days}.`, 'daysOfHistory');
  }
  return days;
}

export function checkOrganizationId(id: string): string {
  if (!isValidOrganizationId(id)) {
    throw badUserInput('`organizationId` must be 24 hexadecimal digits or a slug of at least 3 letters, digits or dashes.', 'organizationId');
  }
  return id;
}

export function checkObjectId(id: string, argumentName: string): string {
  if (!isValidObjectId(id)) throw badUserInput(`\`${argumentName}\` must be 24 hexadecimal digits.`, argumentName);
  return id;
}

export function checkKobilUserName(userName: string, argumentName = 'userName'): string {
  if (!isValidKobilUserName(userName)) {
    throw badUserInput(`\`${argumentName}\` must be 1 to 128 characters without slashes, whitespace or control characters.`, argumentName);
  }
  return userName;
}

export function checkSubjectId(subjectId: string, argumentName = 'subjectId'): string {
  if (!isValidSubjectId(subjectId)) throw badUserInput(`\`${argumentName}\` must be a NAVER Cloud subject ID (a UUID).`, argumentName);
  return subjectId;
}

/** The Automox organization a query means: the one it names, else the configured default. */
export function checkAutomoxOrganization(organizationId: string | null | undefined, defaultOrgId: string | undefined, argumentName: string): string {
  const organization = organizationId ?? defaultOrgId;
  if (!organization) {
    throw badUserInput(`\`${argumentName}\` is required: no default Automox organization is configured (AUTOMOX_ORG_UUID).`, argumentName);
  }
  return organization;
}

/** The longest `deviceName` filter devicegraph passes on to Automox. */
const MAX_DEVICE_NAME_FILTER = 200;

/** A device results name filter: `null` for none (an empty one filters nothing either). */
export function checkDeviceNameFilter(deviceName: string | null | undefined): string | null {
  if (deviceName != null && deviceName.length > MAX_DEVICE_NAME_FILTER) {
    throw badUserInput(`\`deviceName\` must be at most ${MAX_DEVICE_NAME_FILTER} characters.`, 'deviceName');
  }
  return deviceName || null;
}
