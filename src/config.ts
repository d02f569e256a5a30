import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { VENDOR_LABELS, VENDORS, type VendorCredentials, type VendorName } from './vendors/vendor.js';
import { isUuid } from './vendors/uuid.js';
import { DEFAULT_CALL_POLICY } from './vendors/http/call-policy.js';

/** A vendor either runs on its built-in simulator or is called for real. */
export type VendorSetting<V extends VendorName> =
  | { mode: 'simulated' }
  | { mode: 'real'; baseUrl: string; credentials: VendorCredentials[V] };

export type VendorSettings = { [V in VendorName]: VendorSetting<V> };

export interface Config {
  host: string;
  port: number;
  vendors: VendorSettings;
  /** Automox organization used when a query names none (`AUTOMOX_ORG_UUID`). */
  automoxDefaultOrgId: string | undefined;
  /** Browser origins allowed to call `/graphql` cross-origin (`CORS_ORIGINS`); none by default. */
  corsOrigins: string[];
  /** Bearer tokens one of which every GraphQL request must carry (`GRAPHQL_API_TOKENS`); empty = open. */
  apiTokens: string[];
  /** Whether schema introspection is answered (`GRAPHQL_INTROSPECTION`, default true). */
  introspection: boolean;
  /** Whether GraphiQL is served on GET `/graphql` (`GRAPHIQL`, default true). */
  graphiql: boolean;
  /** pino log level (`LOG_LEVEL`, default `info`). */
  logLevel: string;
  /** `NODE_ENV=production`: simulators only when `VENDOR_SIMULATORS=on`. */
  production: boolean;
  /** How long in-flight operations may still run after SIGTERM/SIGINT (`SHUTDOWN_GRACE_SECONDS`, default 10). */
  shutdownGraceMs: number;
  /** How replicas share vendor answers and rate budgets. */
  scale: ScaleConfig;
}

/** One vendor's share of the scale-out settings. */
export interface VendorScaleConfig {
  /** Seconds a page of a list growing at its head is cached (`VENDOR_CACHE_TTL_SECONDS`, default 5; 0 = off). */
  listTtlSeconds: number;
  /** Calls per second for all replicas together (`VENDOR_RATE_LIMITS`); none = no budget. */
  callsPerSecond: number | undefined;
  /** Connections (calls in flight) per replica (`VENDOR_CONCURRENCY`, default `DEFAULT_CALL_POLICY.maxConcurrent`). */
  maxConcurrent: number;
}

export interface ScaleConfig {
  /** Redis (or Valkey) shared by the replicas (`REDIS_URL`); none = everything in-process. */
  redisUrl: string | undefined;
  /** A Redis command not answered within this degrades to in-process (`REDIS_COMMAND_TIMEOUT_MS`, default 50). */
  redisCommandTimeoutMs: number;
  /** How many replicas share the rate budgets (`REPLICAS`, default 1). */
  replicas: number;
  /** Seconds a cached answer may stand in for a failing vendor past its freshness (`VENDOR_CACHE_GRACE_SECONDS`, default 300). */
  graceSeconds: number;
  vendors: Record<VendorName, VendorScaleConfig>;
}


/** Every problem found in the environment, one clear line each; never contains a secret. */
export class ConfigError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

type Env = Record<string, string | undefined>;

/** One vendor's environment variables: its base URL, the credentials its contract names, optional extras. */
interface VendorVariables<V extends VendorName> {
  /** Every variable of the vendor starts so; any other variable with this prefix is a typo. */
  prefix: string;
  baseUrl: string;
  /** The vendor's public API, used when only credentials are set. */
  defaultBaseUrl?: string;
  credentials: { [K in keyof VendorCredentials[V]]: string };
  optional?: readonly string[];
}

const VENDOR_VARIABLES: { [V in VendorName]: VendorVariables<V> } = {
  APPLIVERY: {
    prefix: 'APPLIVERY_',
    baseUrl: 'APPLIVERY_BASE_URL',
    defaultBaseUrl: 'https://api.applivery.io',
    credentials: { apiToken: 'APPLIVERY_API_TOKEN' },
  },
  CISCO_CONTROL_CENTER: {
    prefix: 'CONTROL_CENTER_',
    baseUrl: 'CONTROL_CENTER_BASE_URL',
    credentials: { username: 'CONTROL_CENTER_USERNAME', apiKey: 'CONTROL_CENTER_API_KEY' },
  },
  KOBIL: { prefix: 'KOBIL_', baseUrl: 'KOBIL_BASE_URL', credentials: { accessToken: 'KOBIL_ACCESS_TOKEN' } },
  AUTOMOX: { prefix: 'AUTOMOX_', baseUrl: 'AUTOMOX_BASE_URL', credentials: { apiKey: 'AUTOMOX_API_KEY' }, optional: ['AUTOMOX_ORG_UUID'] },
  NAVER_CLOUD: {
    prefix: 'NCLOUD_',
    baseUrl: 'NCLOUD_BASE_URL',
    credentials: { accessKey: 'NCLOUD_ACCESS_KEY', secretKey: 'NCLOUD_SECRET_KEY' },
  },
};

/**
 * The variables that have `loadConfig` call each vendor of `endpoints` for real there: how tests
 * and the bench start devicegraph as a process against simulators, by the names read above.
 */
export function realVendorVariables(endpoints: { [V in VendorName]?: { baseUrl: string; credentials: VendorCredentials[V] } }): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of VENDORS) {
    const endpoint = endpoints[name];
    if (!endpoint) continue;
    const variables: VendorVariables<VendorName> = VENDOR_VARIABLES[name];
    env[variables.baseUrl] = endpoint.baseUrl;
    for (const [key, variable] of Object.entries(variables.credentials) as [string, string][]) {
      env[variable] = (endpoint.credentials as unknown as Record<string, string>)[key]!;
    }
  }
  return env;
}

/**
 * Reads and validates the environment variables the README's configuration section lists. A
 * vendor none of whose variables is set runs on its simulator, where simulators are allowed
 * (`VENDOR_SIMULATORS`: on by default, off by default with `NODE_ENV=production`); a vendor with
 * any of them set is called for real and needs the rest. A misspelt vendor variable is refused, so
 * a typo never falls back to a simulator's made-up data.
 */
export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };

  // Decimal digits only: Number() would also read 0x10, 1e3 or 0b1 as ports.
  const portText = read('PORT') ?? '4000';
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!(port <= 65535)) problems.push('PORT must be a whole number from 0 to 65535.');
  const host = read('HOST') ?? '127.0.0.1';

  const production = read('NODE_ENV') === 'production';
  const simulatorsSetting = read('VENDOR_SIMULATORS')?.toLowerCase();
  if (simulatorsSetting !== undefined && simulatorsSetting !== 'on' && simulatorsSetting !== 'off') {
    problems.push('VENDOR_SIMULATORS must be on or off.');
  }
  const simulators = simulatorsSetting === 'on' || (simulatorsSetting !== 'off' && !production);

  let unconfigured = false;
  const vendor = <V extends VendorName>(name: V): VendorSetting<V> => {
    const variables: VendorVariables<V> = VENDOR_VARIABLES[name];
    const label = VENDOR_LABELS[name];
    const credentialNames = Object.values(variables.credentials) as string[];
    const known = [variables.baseUrl, ...credentialNames, ...(variables.optional ?? [])];
    for (const unknown of Object.keys(env).filter((key) => key.startsWith(variables.prefix) && !known.includes(key)).sort()) {
      const guess = closest(unknown, known);
      problems.push(`${unknown} is not a devicegraph variable${guess ? ` (did you mean ${guess}?)` : ''}.`);
    }
    const set = known.filter((key) => read(key) !== undefined);
    if (set.length === 0) {
      if (!simulators) {
        const needed = [...(variables.defaultBaseUrl ? [] : [variables.baseUrl]), ...credentialNames].join(', ');
        problems.push(`${label} is not configured: set ${needed}.`);
        unconfigured = true;
      }
      return { mode: 'simulated' };
    }
    const reason = `${set.includes(variables.baseUrl) ? variables.baseUrl : set[0]} is set`;
    const baseUrl = read(variables.baseUrl) ?? variables.defaultBaseUrl;
    if (baseUrl === undefined) problems.push(`${variables.baseUrl} is required when ${label} is called for real (${reason}).`);
    else {
      const urlProblem = checkBaseUrl(baseUrl);
      if (urlProblem) problems.push(`${variables.baseUrl} ${urlProblem}`);
    }
    const credentials: Record<string, string> = {};
    for (const [key, variable] of Object.entries(variables.credentials) as [string, string][]) {
      const value = read(variable);
      if (value === undefined) problems.push(`${variable} is required when ${label} is called for real (${reason}).`);
      else credentials[key] = value;
    }
    return { mode: 'real', baseUrl: baseUrl ?? '', credentials: credentials as unknown as VendorCredentials[V] };
  };

  const vendors = Object.fromEntries(VENDORS.map((name) => [name, vendor(name)])) as VendorSettings;
  if (unconfigured) {
    problems.push(
      simulatorsSetting === 'off'
        ? 'VENDOR_SIMULATORS=off: every vendor must be configured.'
        : 'NODE_ENV=production runs no simulator unless VENDOR_SIMULATORS=on (which serves made-up data): every vendor must be configured.',
    );
  }

  const automoxDefaultOrgId = read('AUTOMOX_ORG_UUID');
  if (automoxDefaultOrgId !== undefined && !isUuid(automoxDefaultOrgId)) problems.push('AUTOMOX_ORG_UUID must be a UUID.');

  const list = (name: string) => (read(name) ?? '').split(',').map((item) => item.trim()).filter((item) => item.length > 0);
  const corsOrigins = list('CORS_ORIGINS');
  corsOrigins.forEach((origin, index) => {
    // The entry is not echoed: a mistyped one could carry a user:password part.
    if (!isOrigin(origin)) problems.push(`CORS_ORIGINS entry ${index + 1} is not an origin like https://app.example.com.`);
  });
  const apiTokens = list('GRAPHQL_API_TOKENS');
  if (apiTokens.some((token) => token.length < 16)) problems.push('GRAPHQL_API_TOKENS entries must be at least 16 characters.');
  // Set to nothing but separators and blanks (a template left unfilled) must not turn authentication off.
  if (apiTokens.length === 0 && (env['GRAPHQL_API_TOKENS'] ?? '') !== '') {
    problems.push('GRAPHQL_API_TOKENS is set but lists no token; unset it (or leave it empty) to serve without tokens.');
  }
  const flag = (name: string, fallback: boolean): boolean => {
    const value = read(name)?.toLowerCase();
    if (value === undefined) return fallback;
    if (value === 'true' || value === '1') return true;
    if (value === 'false' || value === '0') return false;
    problems.push(`${name} must be true or false.`);
    return fallback;
  };
  const introspection = flag('GRAPHQL_INTROSPECTION', true);
  const graphiql = flag('GRAPHIQL', true);
  const logLevel = read('LOG_LEVEL') ?? 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    problems.push('LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent.');
  }

  const graceSeconds = Number(read('SHUTDOWN_GRACE_SECONDS') ?? 10);
  if (!Number.isFinite(graceSeconds) || graceSeconds < 0) problems.push('SHUTDOWN_GRACE_SECONDS must be a number of seconds, 0 or more.');

  const scale = readScaleConfig(read, problems);

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    host,
    port,
    vendors,
    automoxDefaultOrgId,
    corsOrigins,
    apiTokens,
    introspection,
    graphiql,
    logLevel,
    production,
    shutdownGraceMs: Math.round(graceSeconds * 1000),
    scale,
  };
}

/**
 * The process environment over the variables of the `.env` file at `path`, when there is one: a
 * variable set in the environment wins over the file.
 */
export function withDotEnv(env: Env = process.env, path = '.env'): Env {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return env;
    throw error;
  }
  return { ...parseEnv(text), ...env };
}

/** The known name a misspelt one most likely meant: at most a third of its letters differ. */
function closest(name: string, known: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(name, candidate);
    if (distance <= Math.ceil(candidate.length / 3) && (!best || distance < best.distance)) best = { name: candidate, distance };
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
  } catch {
    return false;
  }
}

/** Returns why a vendor base URL is unusable, or `undefined` when it is fine. */
function checkBaseUrl(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not a valid URL.';
  }
  if (url.username || url.password) return 'must not carry credentials; use the vendor’s credential variables.';
  if (url.search || url.hash) return 'must not have a query or fragment.';
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:') return isLoopbackHost(url.hostname) ? undefined : 'uses plain http:// to a host that is not loopback; use https://.';
  return 'must use https:// (or http:// to a loopback host).';
}

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

function readScaleConfig(read: (name: string) => string | undefined, problems: string[]): ScaleConfig {
  const whole = (name: string, fallback: number, min: number): number => {
    const text = read(name);
    if (text === undefined) return fallback;
    const value = Number(text);
    if (Number.isInteger(value) && value >= min) return value;
    problems.push(`${name} must be a whole number of at least ${min}.`);
    return fallback;
  };
  const redisUrl = read('REDIS_URL');
  if (redisUrl !== undefined && !isRedisUrl(redisUrl)) problems.push('REDIS_URL must be a redis:// or rediss:// URL.');
  const ttl = readVendorNumbers('VENDOR_CACHE_TTL_SECONDS', read, problems, 0);
  const rates = readVendorNumbers('VENDOR_RATE_LIMITS', read, problems, 1);
  const concurrency = readVendorNumbers('VENDOR_CONCURRENCY', read, problems, 1);
  const vendors = Object.fromEntries(
    VENDORS.map((vendor) => [
      vendor,
      {
        listTtlSeconds: ttl.get(vendor) ?? ttl.get('*') ?? 5,
        callsPerSecond: rates.get(vendor) ?? rates.get('*'),
        maxConcurrent: concurrency.get(vendor) ?? concurrency.get('*') ?? DEFAULT_CALL_POLICY.maxConcurrent,
      },
    ]),
  ) as Record<VendorName, VendorScaleConfig>;
  return {
    redisUrl,
    redisCommandTimeoutMs: whole('REDIS_COMMAND_TIMEOUT_MS', 50, 1),
    replicas: whole('REPLICAS', 1, 1),
    graceSeconds: whole('VENDOR_CACHE_GRACE_SECONDS', 300, 0),
    vendors,
  };
}

/**
 * Reads a per-vendor setting: comma-separated `VENDOR=number` entries (vendors as the GraphQL
 * `Vendor` enum spells them), and optionally a bare number for every vendor not named, e.g.
 * `5,KOBIL=2`. `*` in the result is that bare number.
 */
export function readVendorNumbers(
  name: string,
  read: (name: string) => string | undefined,
  problems: string[],
  min: number,
): Map<VendorName | '*', number> {
  const values = new Map<VendorName | '*', number>();
  const entries = (read(name) ?? '').split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  for (const entry of entries) {
    const [left, right] = entry.includes('=') ? entry.split('=', 2).map((part) => part.trim()) : ['*', entry];
    const vendor = left as VendorName | '*';
    const value = Number(right);
    if (vendor !== '*' && !VENDORS.includes(vendor)) problems.push(`${name}: ${left} is not a vendor (one of ${VENDORS.join(', ')}).`);
    else if (!Number.isInteger(value) || value < min) problems.push(`${name}: ${left === '*' ? 'the default' : left} must be a whole number of at least ${min}.`);
    else values.set(vendor, value);
  }
  return values;
}

function isRedisUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'redis:' || url.protocol === 'rediss:';
  } catch {
    return false;
  }
}
