import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, realVendorVariables, withDotEnv } from '../src/config.js';
import { VENDORS } from '../src/vendors/vendor.js';

describe('loadConfig', () => {
  it('runs every vendor on its simulator when nothing is set', () => {
    const config = loadConfig({});
    assert.equal(config.port, 4000);
    assert.equal(config.host, '127.0.0.1');
    for (const setting of Object.values(config.vendors)) assert.equal(setting.mode, 'simulated');
  });

  it('defaults the Applivery base URL when only its token is set', () => {
    const config = loadConfig({ APPLIVERY_API_TOKEN: 'tok-secret' });
    assert.deepEqual(config.vendors.APPLIVERY, {
      mode: 'real',
      baseUrl: 'https://api.applivery.io',
      credentials: { apiToken: 'tok-secret' },
    });
  });

  it('reports every problem at once, one line each, and never a secret', () => {
    const env = {
      PORT: 'eighty',
      CONTROL_CENTER_BASE_URL: 'http://cc.example.com',
      CONTROL_CENTER_API_KEY: 'cc-secret-key',
      KOBIL_BASE_URL: 'not a url',
      KOBIL_ACCESS_TOKEN: 'kobil-secret',
      NCLOUD_BASE_URL: 'https://ncloud.example.com',
      NCLOUD_SECRET_KEY: 'nc-secret',
    };
    assert.throws(
      () => loadConfig(env),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.deepEqual(error.problems, [
          'PORT must be a whole number from 0 to 65535.',
          'CONTROL_CENTER_BASE_URL uses plain http:// to a host that is not loopback; use https://.',
          'CONTROL_CENTER_USERNAME is required when Cisco Control Center is called for real (CONTROL_CENTER_BASE_URL is set).',
          'KOBIL_BASE_URL is not a valid URL.',
          'NCLOUD_ACCESS_KEY is required when NAVER Cloud is called for real (NCLOUD_BASE_URL is set).',
        ]);
        for (const secret of ['cc-secret-key', 'kobil-secret', 'nc-secret']) assert.ok(!error.message.includes(secret));
        return true;
      },
    );
  });

  it('allows plain http:// only to loopback hosts', () => {
    const config = loadConfig({ KOBIL_BASE_URL: 'http://127.0.0.1:9000', KOBIL_ACCESS_TOKEN: 't' });
    assert.equal(config.vendors.KOBIL.mode, 'real');
    assert.throws(() => loadConfig({ KOBIL_BASE_URL: 'https://user:pw@kobil.example.com', KOBIL_ACCESS_TOKEN: 't' }), ConfigError);
  });

  it('refuses a misspelt vendor variable, naming the one it likely meant, instead of simulating the vendor', () => {
    assert.deepEqual(problemsOf({ CONTROL_CENTER_BASEURL: 'https://cc.example.com', KOBIL_TOKEN: 'x', NCLOUD_REGION: 'KR' }), [
      'CONTROL_CENTER_BASEURL is not a devicegraph variable (did you mean CONTROL_CENTER_BASE_URL?).',
      'KOBIL_TOKEN is not a devicegraph variable.',
      'NCLOUD_REGION is not a devicegraph variable.',
    ]);
  });

  it('refuses a partly configured vendor: credentials without a base URL, an option alone', () => {
    assert.deepEqual(problemsOf({ CONTROL_CENTER_USERNAME: 'u', CONTROL_CENTER_API_KEY: 'cc-secret', AUTOMOX_ORG_UUID: '56c0ba07-69f2-4f7c-b0a1-2bb0ed68578e' }), [
      'CONTROL_CENTER_BASE_URL is required when Cisco Control Center is called for real (CONTROL_CENTER_USERNAME is set).',
      'AUTOMOX_BASE_URL is required when Automox is called for real (AUTOMOX_ORG_UUID is set).',
      'AUTOMOX_API_KEY is required when Automox is called for real (AUTOMOX_ORG_UUID is set).',
    ]);
  });

  it('runs no simulator with NODE_ENV=production unless VENDOR_SIMULATORS=on', () => {
    const oneReal = { NODE_ENV: 'production', KOBIL_BASE_URL: 'https://tenant.kobil.example.com', KOBIL_ACCESS_TOKEN: 'k' };
    assert.deepEqual(problemsOf(oneReal), [
      'Applivery is not configured: set APPLIVERY_API_TOKEN.',
      'Cisco Control Center is not configured: set CONTROL_CENTER_BASE_URL, CONTROL_CENTER_USERNAME, CONTROL_CENTER_API_KEY.',
      'Automox is not configured: set AUTOMOX_BASE_URL, AUTOMOX_API_KEY.',
      'NAVER Cloud is not configured: set NCLOUD_BASE_URL, NCLOUD_ACCESS_KEY, NCLOUD_SECRET_KEY.',
      'NODE_ENV=production runs no simulator unless VENDOR_SIMULATORS=on (which serves made-up data): every vendor must be configured.',
    ]);
    const config = loadConfig({ ...oneReal, VENDOR_SIMULATORS: 'on' });
    assert.equal(config.production, true);
    assert.equal(config.vendors.KOBIL.mode, 'real');
    for (const vendor of VENDORS.filter((v) => v !== 'KOBIL')) assert.equal(config.vendors[vendor].mode, 'simulated', vendor);
  });

  it('VENDOR_SIMULATORS=off refuses simulators anywhere; other values are refused', () => {
    assert.equal(problemsOf({ VENDOR_SIMULATORS: 'off' }).at(-1), 'VENDOR_SIMULATORS=off: every vendor must be configured.');
    assert.equal(problemsOf({ VENDOR_SIMULATORS: 'off' }).length, 6);
    assert.deepEqual(problemsOf({ VENDOR_SIMULATORS: 'yes' }), ['VENDOR_SIMULATORS must be on or off.']);
    assert.equal(loadConfig({ VENDOR_SIMULATORS: 'ON' }).vendors.KOBIL.mode, 'simulated');
  });

  it('reads the shutdown grace in seconds, 10 by default', () => {
    assert.equal(loadConfig({}).shutdownGraceMs, 10_000);
    assert.equal(loadConfig({ SHUTDOWN_GRACE_SECONDS: '2.5' }).shutdownGraceMs, 2_500);
    assert.deepEqual(problemsOf({ SHUTDOWN_GRACE_SECONDS: '-1' }), ['SHUTDOWN_GRACE_SECONDS must be a number of seconds, 0 or more.']);
  });

  it('reads the scale-out settings: Redis, replicas, and per-vendor cache TTLs, rate budgets and concurrency', () => {
    const defaults = loadConfig({}).scale;
    assert.equal(defaults.redisUrl, undefined);
    assert.equal(defaults.replicas, 1);
    assert.equal(defaults.redisCommandTimeoutMs, 50);
    assert.deepEqual(defaults.vendors.KOBIL, { listTtlSeconds: 5, callsPerSecond: undefined, maxConcurrent: 128 });

    const scale = loadConfig({
      REDIS_URL: 'redis://127.0.0.1:6379',
      REPLICAS: '3',
      VENDOR_CACHE_TTL_SECONDS: '10, KOBIL=2',
      VENDOR_RATE_LIMITS: 'CISCO_CONTROL_CENTER=10',
      VENDOR_CONCURRENCY: 'CISCO_CONTROL_CENTER=1,4',
    }).scale;
    assert.equal(scale.redisUrl, 'redis://127.0.0.1:6379');
    assert.equal(scale.replicas, 3);
    assert.deepEqual(scale.vendors.CISCO_CONTROL_CENTER, { listTtlSeconds: 10, callsPerSecond: 10, maxConcurrent: 1 });
    assert.deepEqual(scale.vendors.KOBIL, { listTtlSeconds: 2, callsPerSecond: undefined, maxConcurrent: 4 });

    assert.throws(
      () => loadConfig({ REDIS_URL: 'http://cache', REPLICAS: '0', VENDOR_RATE_LIMITS: 'CISCO=10,KOBIL=0', VENDOR_CACHE_TTL_SECONDS: 'soon' }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.deepEqual(error.problems, [
          'REDIS_URL must be a redis:// or rediss:// URL.',
          'VENDOR_CACHE_TTL_SECONDS: the default must be a whole number of at least 0.',
          'VENDOR_RATE_LIMITS: CISCO is not a vendor (one of APPLIVERY, CISCO_CONTROL_CENTER, KOBIL, AUTOMOX, NAVER_CLOUD).',
          'VENDOR_RATE_LIMITS: KOBIL must be a whole number of at least 1.',
          'REPLICAS must be a whole number of at least 1.',
        ]);
        return true;
      },
    );
  });
});

describe('withDotEnv', () => {
  it('adds the variables of .env where the environment has none; the environment wins', () => {
    const dir = mkdtempSync(join(tmpdir(), 'devicegraph-env-'));
    try {
      const file = join(dir, '.env');
      writeFileSync(file, '# comment\nPORT=4100\nHOST=0.0.0.0\nKOBIL_ACCESS_TOKEN="from file"\n');
      assert.deepEqual(withDotEnv({ PORT: '4200' }, file), { PORT: '4200', HOST: '0.0.0.0', KOBIL_ACCESS_TOKEN: 'from file' });
      assert.deepEqual(withDotEnv({ PORT: '4200' }, join(dir, 'missing.env')), { PORT: '4200' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('realVendorVariables', () => {
  it('has loadConfig call each vendor it names for real at its endpoint, and leaves the others simulated', () => {
    const endpoints = {
      KOBIL: { baseUrl: 'https://tenant.kobil.example.com', credentials: { accessToken: 'kobil-token' } },
      NAVER_CLOUD: { baseUrl: 'https://ncloud.example.com', credentials: { accessKey: 'nc-access', secretKey: 'nc-secret' } },
    };
    const config = loadConfig(realVendorVariables(endpoints));
    assert.deepEqual(config.vendors.KOBIL, { mode: 'real', ...endpoints.KOBIL });
    assert.deepEqual(config.vendors.NAVER_CLOUD, { mode: 'real', ...endpoints.NAVER_CLOUD });
    for (const vendor of VENDORS.filter((name) => !(name in endpoints))) assert.equal(config.vendors[vendor].mode, 'simulated', vendor);
  });
});

describe('.env.example', () => {
  const lines = readFileSync(new URL('../.env.example', import.meta.url), 'utf8').split('\n').filter((line) => /^[A-Z][A-Z0-9_]*=/.test(line));
  const example = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));

  it('sets only defaults: copied as .env, it configures what no .env does', () => {
    const set = Object.fromEntries(Object.entries(example).filter(([, value]) => value !== ''));
    assert.ok(Object.keys(set).length > 0);
    assert.deepEqual(loadConfig(set), loadConfig({}));
  });

  it('names every vendor variable', () => {
    const everyVendor = Object.fromEntries(VENDORS.map((vendor) => [vendor, { baseUrl: 'http://127.0.0.1:1', credentials: {} }]));
    const names = Object.keys(realVendorVariables(everyVendor as Parameters<typeof realVendorVariables>[0]));
    assert.deepEqual(names.filter((name) => !(name in example)), []);
  });
});
