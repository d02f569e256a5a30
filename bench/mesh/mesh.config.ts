/**
 * The peer of `npm run bench`: how a team would put GraphQL over the vendors' REST APIs with
 * GraphQL Mesh instead of devicegraph. `mesh-compose` turns this into a supergraph that Hive
 * Gateway serves. Endpoint and credentials are read by the gateway at request time from its
 * environment (`{env.…}`), so the composed supergraph holds no secret.
 */
import { defineConfig } from '@graphql-mesh/compose-cli';
import { loadJSONSchemaSubgraph } from '@omnigraph/json-schema';

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
              iccid: { type: 'string', description: 'The device ICCID.' },
              daysOfHistory: { type: 'integer', description: 'Days of history from today, at most 365; 30 when left out.' },
              pageSize: { type: 'integer', description: 'Records per page, at most 50 (the default).' },
              pageNumber: { type: 'integer', description: 'The page, counted from 1 (the default).' },
            },
            requiredArgs: ['iccid'],
            queryParamArgMap: { daysOfHistory: 'daysOfHistory', pageSize: 'pageSize', pageNumber: 'pageNumber' },
            responseSchema: './control-center-audit-trails.json',
          },
        ],
      }),
    },
  ],
});
