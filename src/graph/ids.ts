import { badUserInput } from './errors.js';

/** The types `Query.node` can fetch. */
export const NODE_TYPES = [
  'Device',
  'Certificate',
  'CertificateReport',
  'KobilUser',
  'PolicyExecution',
  'CertificateSubject',
  'DeviceFieldChange',
  'UserActivity',
  'PolicyDeviceResult',
  'CertificateAuthentication',
] as const;

export type NodeType = (typeof NODE_TYPES)[number];

export type IdPart = string | number | null;

/**
 * Global IDs are opaque to clients but carry everything needed to fetch the object again:
 * the type name and the vendor's own identifiers, as base64url JSON.
 */
export function toGlobalId(type: NodeType, ...parts: IdPart[]): string {
  return Buffer.from(JSON.stringify([type, ...parts])).toString('base64url');
}

export interface DecodedGlobalId {
  type: NodeType;
  parts: IdPart[];
}

/** Decodes a global ID, or throws `BAD_USER_INPUT` for one devicegraph did not issue. */
export function fromGlobalId(id: string, argumentName = 'id'): DecodedGlobalId {
  const refuse = () => badUserInput(`\`${argumentName}\` is not a devicegraph ID.`, argumentName);
  if (!/^[A-Za-z0-9_-]{1,2048}$/.test(id)) throw refuse();
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(id, 'base64url').toString('utf8'));
  } catch {
    throw refuse();
  }
  if (!Array.isArray(value) || !NODE_TYPES.includes(value[0])) throw refuse();
  const parts = value.slice(1) as unknown[];
  if (!parts.every((part) => part === null || typeof part === 'string' || Number.isSafeInteger(part))) throw refuse();
  return { type: value[0] as NodeType, parts: parts as IdPart[] };
}
