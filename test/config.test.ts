import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../src/config.js';

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
});
