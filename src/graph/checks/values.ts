import { isValidObjectId, isValidOrganizationId } from '../../vendors/applivery/contract.js';
import { isValidIccid } from '../../vendors/control-center/client.js';
import { isValidKobilUserName } from '../../vendors/kobil/client.js';
import { isValidSubjectId } from '../../vendors/naver-cloud/contract.js';
import { badUserInput } from '../errors.js';

/**
 * Checks of vendor identifiers against the patterns the vendors document, so a malformed one is
 * refused with `BAD_USER_INPUT` before any vendor call.
 */

export function checkIccid(iccid: string, argumentName = 'iccid'): string {
  if (!isValidIccid(iccid)) throw badUserInput(`\`${argumentName}\` must be an ICCID: 19 or 20 digits starting with 89.`, argumentName);
  return iccid;
}

export const DEFAULT_DAYS_OF_HISTORY = 30;
const MAX_DAYS_OF_HISTORY = 365;

export function checkDaysOfHistory(days: number | null | undefined): number {
  if (days == null) return DEFAULT_DAYS_OF_HISTORY;
  if (days < 1 || days > MAX_DAYS_OF_HISTORY) {
    throw badUserInput(`\`daysOfHistory\` must be between 1 and ${MAX_DAYS_OF_HISTORY}; it was ${days}.`, 'daysOfHistory');
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
