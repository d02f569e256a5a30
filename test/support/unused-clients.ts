import { createVendorClients, type VendorClients, type VendorEndpoints } from '../../src/vendors/clients.js';

const UNUSED = 'http://127.0.0.1:9';

/** Vendor clients for tests of pure logic that build a context but never call a vendor: every vendor is an unused loopback port. */
export function unusedVendorClients(): VendorClients {
  const endpoints: VendorEndpoints = {
    APPLIVERY: { baseUrl: UNUSED, credentials: { apiToken: 'unused' } },
    CISCO_CONTROL_CENTER: { baseUrl: UNUSED, credentials: { username: 'unused', apiKey: 'unused' } },
    KOBIL: { baseUrl: UNUSED, credentials: { accessToken: 'unused' } },
    AUTOMOX: { baseUrl: UNUSED, credentials: { apiKey: 'unused' } },
    NAVER_CLOUD: { baseUrl: UNUSED, credentials: { accessKey: 'unused', secretKey: 'unused' } },
  };
  return createVendorClients(endpoints);
}
