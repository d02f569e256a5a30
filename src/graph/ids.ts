import { VENDORS } from '../vendors/vendor.js';
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

/** The type of a global ID, or `undefined` for one devicegraph did not issue. */
export function globalIdType(id: string): NodeType | undefined {
  try {
    return fromGlobalId(id).type;
  } catch {
    return undefined;
  }
}

/** How one part of a global ID is written, and read back. */
export interface IdField<V> {
  write(value: V): IdPart;
  /** The value a part holds, or `undefined` when it is not a part this field writes. */
  read(part: IdPart | undefined): V | undefined;
}

export const textPart: IdField<string> = { write: (value) => value, read: (part) => (typeof part === 'string' ? part : undefined) };

export const optionalTextPart: IdField<string | null> = {
  write: (value) => value,
  read: (part) => (part === null || typeof part === 'string' ? part : undefined),
};

/** Text that passes `isValid`: a vendor identifier, checked as the argument naming it is. */
export function vendorIdPart(isValid: (value: string) => boolean): IdField<string> {
  return { write: (value) => value, read: (part) => (typeof part === 'string' && isValid(part) ? part : undefined) };
}

/** A whole number from 0 (a list position, a count). */
export const countPart: IdField<number> = {
  write: (value) => value,
  read: (part) => (typeof part === 'number' && part >= 0 ? part : undefined),
};

/** A whole number from `min` to `max`. */
export function countPartWithin(min: number, max: number): IdField<number> {
  return { write: (value) => value, read: (part) => (typeof part === 'number' && part >= min && part <= max ? part : undefined) };
}

/** One of a fixed set of words, e.g. the vendor that tells apart IDs of one type. */
export function oneOfPart<const W extends string>(words: readonly W[]): IdField<W> {
  return { write: (word) => word, read: (part) => words.find((word) => word === part) };
}

/** Words of a fixed set written as one comma-separated part, `''` for none. */
export function wordListPart<const W extends string>(words: readonly W[]): IdField<readonly W[]> {
  const word = oneOfPart(words);
  return {
    write: (values) => values.join(','),
    read(part) {
      if (typeof part !== 'string') return undefined;
      const values = part === '' ? [] : part.split(',').map((text) => word.read(text));
      return values.every((value) => value !== undefined) ? (values as W[]) : undefined;
    },
  };
}

type FieldValues<F extends Record<string, IdField<any>>> = { [K in keyof F]: F[K] extends IdField<infer V> ? V : never };

/** One layout of a type's global IDs: its parts by name, in order, written and read by the same declaration. */
export interface IdCodec<V> {
  readonly type: NodeType;
  encode(value: V): string;
  /** The value in an ID's parts, or `undefined` when they are not this layout. */
  read(parts: readonly IdPart[]): V | undefined;
}

/** A codec for IDs of `type` whose parts are `fields`, in the order declared. */
export function idCodec<F extends Record<string, IdField<any>>>(type: NodeType, fields: F): IdCodec<FieldValues<F>> {
  const layout = Object.entries(fields);
  return {
    type,
    encode: (value) => toGlobalId(type, ...layout.map(([name, field]) => field.write(value[name]))),
    read(parts) {
      const value: Record<string, unknown> = {};
      for (const [index, [name, field]] of layout.entries()) {
        const read = field.read(parts[index]);
        if (read === undefined) return undefined;
        value[name] = read;
      }
      return value as FieldValues<F>;
    },
  };
}

/** `Device` IDs: the vendor, its identifier of the device, and the organization where the vendor has one (Applivery). */
export const DEVICE_ID = idCodec('Device', { vendor: oneOfPart(VENDORS), vendorDeviceId: textPart, organizationId: optionalTextPart });
