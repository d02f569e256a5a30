import type { VendorCredentials, VendorName } from './vendors/vendor.js';
import { isUuid } from './vendors/uuid.js';

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

/** Reads and validates the environment variables the README's configuration section lists. */
export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };

  const port = Number(read('PORT') ?? 4000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push('PORT must be a whole number from 0 to 65535.');
  const host = read('HOST') ?? '127.0.0.1';

  /** A real vendor is configured when its base URL (or, where it has a public default, a secret) is set. */
  const vendor = <V extends VendorName>(
    label: string,
    baseUrlVar: string,
    secretVars: { [K in keyof VendorCredentials[V]]: string },
    defaultBaseUrl?: string,
  ): VendorSetting<V> => {
    const secretNames = Object.values(secretVars) as string[];
    const anySecret = secretNames.some((name) => read(name) !== undefined);
    const explicitBaseUrl = read(baseUrlVar);
    if (explicitBaseUrl === undefined && !(defaultBaseUrl && anySecret)) return { mode: 'simulated' };
    const baseUrl = explicitBaseUrl ?? (defaultBaseUrl as string);
    const urlProblem = checkBaseUrl(baseUrl);
    if (urlProblem) problems.push(`${baseUrlVar} ${urlProblem}`);
    const credentials: Record<string, string> = {};
    for (const [key, name] of Object.entries(secretVars) as [string, string][]) {
      const value = read(name);
      if (value === undefined) problems.push(`${name} is required when ${label} is called for real (${baseUrlVar} is set).`);
      else credentials[key] = value;
    }
    return { mode: 'real', baseUrl, credentials: credentials as unknown as VendorCredentials[V] };
  };

  const vendors: VendorSettings = {
    APPLIVERY: vendor<'APPLIVERY'>('Applivery', 'APPLIVERY_BASE_URL', { apiToken: 'APPLIVERY_API_TOKEN' }, 'https://api.applivery.io'),
    CISCO_CONTROL_CENTER: vendor<'CISCO_CONTROL_CENTER'>('Cisco Control Center', 'CONTROL_CENTER_BASE_URL', {
      username: 'CONTROL_CENTER_USERNAME',
      apiKey: 'CONTROL_CENTER_API_KEY',
    }),
    KOBIL: vendor<'KOBIL'>('KOBIL', 'KOBIL_BASE_URL', { accessToken: 'KOBIL_ACCESS_TOKEN' }),
    AUTOMOX: vendor<'AUTOMOX'>('Automox', 'AUTOMOX_BASE_URL', { apiKey: 'AUTOMOX_API_KEY' }),
    NAVER_CLOUD: vendor<'NAVER_CLOUD'>('NAVER Cloud', 'NCLOUD_BASE_URL', {
      accessKey: 'NCLOUD_ACCESS_KEY',
      secretKey: 'NCLOUD_SECRET_KEY',
    }),
  };

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

  if (problems.length > 0) throw new ConfigError(problems);
  return { host, port, vendors, automoxDefaultOrgId, corsOrigins, apiTokens, introspection, graphiql, logLevel };
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
