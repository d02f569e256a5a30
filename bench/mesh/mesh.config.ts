/**
 * The peer of `npm run bench`: how a team would put GraphQL over the vendors' REST APIs with
 * GraphQL Mesh instead of devicegraph. `mesh-compose` turns this into a supergraph that Hive
 * Gateway serves. Base URLs and credentials are read by the gateway at request time from the same
 * environment variables devicegraph reads (`{env.…}`), so the composed supergraph holds no secret;
 * Control Center's Basic credentials come ready-encoded in `CONTROL_CENTER_BASIC_AUTH`. NAVER
 * Cloud is left out: its calls must be signed per request, which a JSON-schema source cannot do.
 */
import { defineConfig } from '@graphql-mesh/compose-cli';
import { loadJSONSchemaSubgraph } from '@omnigraph/json-schema';

const integer = (description: string) => ({ type: 'integer', description }) as const;
const text = (description: string) => ({ type: 'string', description }) as const;

export const composeConfig = defineConfig({
  subgraphs: [
    {
      // Cisco Control Center, Get Device Audit History: https://developer.cisco.com/docs/control-center/
      sourceHandler: loadJSONSchemaSubgraph('ControlCenter', {
        endpoint: '{env.CONTROL_CENTER_BASE_URL}',
        operationHeaders: { authorization: 'Basic {env.CONTROL_CENTER_BASIC_AUTH}' },
        operations: [
          {
            type: 'Query',
            field: 'controlCenterAuditTrails',
            description: "One page of a device's audit history, newest change first.",
            path: '/rws/api/v1/devices/{args.iccid}/auditTrails',
            method: 'GET',
            argTypeMap: {
              iccid: text('The device ICCID.'),
              daysOfHistory: integer('Days of history from today, at most 365; 30 when left out.'),
              pageSize: integer('Records per page, at most 50 (the default).'),
              pageNumber: integer('The page, counted from 1 (the default).'),
            },
            requiredArgs: ['iccid'],
            queryParamArgMap: { daysOfHistory: 'daysOfHistory', pageSize: 'pageSize', pageNumber: 'pageNumber' },
            responseSchema: './control-center-audit-trails.json',
          },
        ],
      }),
    },
    {
      // KOBIL SSMS, User Logs: https://docs.kobil.com/
      sourceHandler: loadJSONSchemaSubgraph('Kobil', {
        endpoint: '{env.KOBIL_BASE_URL}',
        operationHeaders: { authorization: 'Bearer {env.KOBIL_ACCESS_TOKEN}' },
        operations: [
          {
            type: 'Query',
            field: 'kobilUserLogs',
            description: "One page of a user's activity log, newest first.",
            path: '/digitanium/v4/user/{args.userName}/logs',
            method: 'GET',
            argTypeMap: { userName: text('The user.'), limit: integer('Entries per page.'), offset: integer('Entries to skip.') },
            requiredArgs: ['userName'],
            queryParamArgMap: { limit: 'limit', offset: 'offset' },
            responseSchema: './kobil-user-logs.json',
          },
        ],
      }),
    },
    {
      // Automox, Device policy run results: https://developer.automox.com/
      sourceHandler: loadJSONSchemaSubgraph('Automox', {
        endpoint: '{env.AUTOMOX_BASE_URL}',
        operationHeaders: { authorization: 'Bearer {env.AUTOMOX_API_KEY}' },
        operations: [
          {
            type: 'Query',
            field: 'automoxPolicyDeviceResults',
            description: "One page of a policy execution's results per device.",
            path: '/policy-history/policies/{args.policyUuid}/{args.execToken}',
            method: 'GET',
            argTypeMap: {
              policyUuid: text('The policy.'),
              execToken: text('The execution.'),
              org: text('The organization.'),
              sort: text('run_time, device_display_name or result_status, then :asc or :desc.'),
              page: integer('The page, counted from 0.'),
              limit: integer('Results per page, at most 5000; 25 when left out.'),
            },
            requiredArgs: ['policyUuid', 'execToken', 'org'],
            queryParamArgMap: { org: 'org', sort: 'sort', page: 'page', limit: 'limit' },
            responseSchema: './automox-policy-device-results.json',
          },
        ],
      }),
    },
    {
      // Applivery, Get certificate report history item: https://www.applivery.com/docs/
      sourceHandler: loadJSONSchemaSubgraph('Applivery', {
        endpoint: '{env.APPLIVERY_BASE_URL}',
        operationHeaders: { authorization: 'Bearer {env.APPLIVERY_API_TOKEN}' },
        operations: [
          {
            type: 'Query',
            field: 'appliveryCertificateReport',
            description: "One stored certificate report of an Android device.",
            path: '/v1/organizations/{args.organizationId}/mdm/android/enterprise/devices/{args.emmDeviceId}/certificate-reports/history/{args.historyId}',
            method: 'GET',
            argTypeMap: { organizationId: text('The organization.'), emmDeviceId: text('The device.'), historyId: text('The stored report.') },
            requiredArgs: ['organizationId', 'emmDeviceId', 'historyId'],
            responseSchema: './applivery-certificate-report.json',
          },
        ],
      }),
    },
  ],
});
