/**
 * devicegraph in a supergraph. The SDL `npm run schema:print` prints is composed with
 * @apollo/composition together with a small asset-inventory subgraph written here, which extends
 * devicegraph's `Device` entity (by `@key(fields: "id")`) with `owner` and `location` and points
 * its assets at devicegraph devices and certificates. @apollo/gateway then serves the supergraph
 * on loopback, and queries that cross the two subgraphs are checked against devicegraph's own
 * answers: the same data, one `_entities` request to devicegraph for all of a list's devices, and
 * no more vendor calls than asking devicegraph directly. A third subgraph, a carrier's SIM plans,
 * knows devices only by ICCID: it refers to them, and extends them, by devicegraph's second key
 * (`vendor vendorDeviceId organizationId`), never holding a devicegraph ID.
 *
 * devicegraph sits behind a small HTTP proxy that records every request the gateway sends it, so
 * the `_entities` requests are counted on the wire (and checked again against the query plan).
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { composeServices } from '@apollo/composition';
import { ApolloGateway, type Experimental_DidResolveQueryPlanCallback } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { printSubgraphSdl } from '../../src/graph/schema.js';
import { APPLIVERY_FIXTURES } from '../../src/simulators/applivery/simulator.js';
import { CONTROL_CENTER_FIXTURES } from '../../src/simulators/control-center/simulator.js';
import { NAVER_CLOUD_FIXTURES } from '../../src/simulators/naver-cloud/simulator.js';
import { VENDORS, type VendorName } from '../../src/vendors/vendor.js';
import { startGraphHarness, type GraphHarness, type GraphQLResponse } from '../support/graph-harness.js';

// ---------------------------------------------------------------------------------------------
// The inventory subgraph: another team's service that knows who owns a device and where it is
// ---------------------------------------------------------------------------------------------

const INVENTORY_TYPE_DEFS = parse(/* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])

  type Query {
    "Every asset in the inventory, in tag order."
    assets: [Asset!]!
  }

  "A tagged piece of hardware."
  type Asset {
    tag: ID!
    name: String!
    "The devicegraph device the asset carries (a SIM, a managed tablet), if any."
    device: Device
    "The client certificate the asset authenticates with, if any."
    certificate: Certificate
  }

  # devicegraph's Device, extended with what the inventory knows about it. (A description here
  # would differ from devicegraph's, and composition would hint INCONSISTENT_DESCRIPTION.)
  type Device @key(fields: "id") {
    id: ID!
    owner: String
    location: String
  }

  # devicegraph's Certificate; the inventory only refers to it.
  type Certificate @key(fields: "id", resolvable: false) {
    id: ID!
  }
`);

interface AssetRecord {
  tag: string;
  name: string;
  deviceId: string | null;
  certificateId: string | null;
}

interface Placement {
  owner: string;
  location: string;
}

/** The inventory's tables; filled in `before` with IDs devicegraph issued. */
const assets: AssetRecord[] = [];
const placements = new Map<string, Placement>();

const inventoryResolvers = {
  Query: { assets: () => assets },
  Asset: {
    device: (asset: AssetRecord) => (asset.deviceId === null ? null : { id: asset.deviceId }),
    certificate: (asset: AssetRecord) => (asset.certificateId === null ? null : { id: asset.certificateId }),
  },
  Device: {
    __resolveReference: (reference: { id: string }) => ({ id: reference.id }),
    owner: (device: { id: string }) => placements.get(device.id)?.owner ?? null,
    location: (device: { id: string }) => placements.get(device.id)?.location ?? null,
  },
};

// ---------------------------------------------------------------------------------------------
// The SIM subgraph: a carrier's plans, which know a SIM by its ICCID and nothing of devicegraph's IDs
// ---------------------------------------------------------------------------------------------

const SIMS_TYPE_DEFS = parse(/* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])

  type Query {
    "Every SIM on a carrier plan, in ICCID order."
    simCards: [SimCard!]!
  }

  "A SIM card on a carrier plan."
  type SimCard {
    iccid: String!
    plan: String!
    "The devicegraph device the SIM is, referred to by devicegraph's vendor key."
    device: Device
  }

  enum Vendor {
    APPLIVERY
    CISCO_CONTROL_CENTER
    KOBIL
    AUTOMOX
    NAVER_CLOUD
  }

  # devicegraph's Device by its vendor key, extended with the carrier plan of a SIM.
  type Device @key(fields: "vendor vendorDeviceId organizationId") {
    vendor: Vendor!
    vendorDeviceId: String!
    organizationId: String
    carrierPlan: String
  }
`);

interface DeviceKey {
  vendor: VendorName;
  vendorDeviceId: string;
  organizationId: string | null;
}

/** The carrier's plans by ICCID; filled in `before`. */
const carrierPlans = new Map<string, string>();

const simsResolvers = {
  Query: { simCards: () => [...carrierPlans].sort(([a], [b]) => a.localeCompare(b)).map(([iccid, plan]) => ({ iccid, plan })) },
  SimCard: {
    device: (sim: { iccid: string }): DeviceKey => ({ vendor: 'CISCO_CONTROL_CENTER', vendorDeviceId: sim.iccid, organizationId: null }),
  },
  Device: {
    __resolveReference: (reference: DeviceKey) => reference,
    carrierPlan: (device: DeviceKey) => (device.vendor === 'CISCO_CONTROL_CENTER' ? (carrierPlans.get(device.vendorDeviceId) ?? null) : null),
  },
};

// ---------------------------------------------------------------------------------------------
// devicegraph behind a recording proxy
// ---------------------------------------------------------------------------------------------

/** One GraphQL request the gateway sent devicegraph. */
interface SubgraphRequest {
  query: string;
  /** The representations an `_entities` request carried. */
  representations: Array<Record<string, unknown>>;
  /** Their `id`s, where they name an entity by its ID. */
  representationIds: string[];
}

interface RecordingProxy {
  url: string;
  requests: SubgraphRequest[];
  close(): Promise<void>;
}

/** Forwards every POST to `target` unchanged and records the GraphQL request it carried. */
async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const requests: SubgraphRequest[] = [];
  const server = createServer(async (req, res) => {
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
      const body = Buffer.concat(chunks).toString('utf8');
      const parsed = JSON.parse(body) as { query?: string; variables?: { representations?: Array<Record<string, unknown>> } };
      const representations = parsed.variables?.representations ?? [];
      requests.push({
        query: parsed.query ?? '',
        representations,
        representationIds: representations.map((representation) => String(representation.id)),
      });
      const response = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      res.writeHead(response.status, { 'content-type': response.headers.get('content-type') ?? 'application/json' });
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch (error) {
      res.writeHead(502, { 'content-type': 'text/plain' }).end(String(error));
    }
  });
  await listen(server);
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    requests,
    close: () => closeServer(server),
  };
}

function listen(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

// ---------------------------------------------------------------------------------------------
// Set-up: devicegraph + simulators, the inventory, composition, the gateway
// ---------------------------------------------------------------------------------------------

let harness: GraphHarness;
let proxy: RecordingProxy;
let inventory: ApolloServer | undefined;
let sims: ApolloServer | undefined;
let gatewayServer: ApolloServer | undefined;
let gatewayUrl: string;
let supergraphSdl: string;
let hints: Array<{ definition: { code: string }; message: string }> = [];
type QueryPlan = Parameters<Experimental_DidResolveQueryPlanCallback>[0]['queryPlan'];
type PlanNode = NonNullable<QueryPlan['node']>;

/** Query plans the gateway made, newest last. */
const plans: QueryPlan[] = [];

const ICCIDS = {
  busy: CONTROL_CENTER_FIXTURES.iccidWith137Records,
  fifty: CONTROL_CENTER_FIXTURES.iccidWith50Records,
  quiet: CONTROL_CENTER_FIXTURES.iccidWithNoRecords,
  /** 19 digits. */
  spread: CONTROL_CENTER_FIXTURES.iccidSpreadOver400Days,
};
const TABLET = APPLIVERY_FIXTURES.historyWith3Certificates;
const SUBJECT = NAVER_CLOUD_FIXTURES.subjectIdWith23Activities;

/** IDs devicegraph issued, keyed by what they name. */
let ids: {
  devices: Record<keyof typeof ICCIDS | 'tablet', string>;
  tabletCertificate: string;
  naverCertificate: string;
};

before(async () => {
  harness = await startGraphHarness();

  // The inventory stores devicegraph's own global IDs, as any subgraph extending Device would.
  const known = await directData(/* GraphQL */ `{
    busy: cellularDevice(iccid: ${JSON.stringify(ICCIDS.busy)}) { id }
    fifty: cellularDevice(iccid: ${JSON.stringify(ICCIDS.fifty)}) { id }
    quiet: cellularDevice(iccid: ${JSON.stringify(ICCIDS.quiet)}) { id }
    spread: cellularDevice(iccid: ${JSON.stringify(ICCIDS.spread)}) { id }
    tablet: androidDevice(organizationId: ${JSON.stringify(TABLET.organizationId)}, emmDeviceId: ${JSON.stringify(TABLET.emmDeviceId)}) {
      id
      certificateReport(historyId: ${JSON.stringify(TABLET.historyId)}) { certificates(first: 1) { nodes { id } } }
    }
    subject: certificateSubject(subjectId: ${JSON.stringify(SUBJECT)}) {
      authentications(first: 1) { nodes { ... on CertificateAuthentication { certificate { id } } } }
    }
  }`);
  ids = {
    devices: { busy: known.busy.id, fifty: known.fifty.id, quiet: known.quiet.id, spread: known.spread.id, tablet: known.tablet.id },
    tabletCertificate: known.tablet.certificateReport.certificates.nodes[0].id,
    naverCertificate: known.subject.authentications.nodes[0].certificate.id,
  };
  const d = ids.devices;
  assets.push(
    { tag: 'RTR-0001', name: 'Branch router, Berlin', deviceId: d.busy, certificateId: null },
    { tag: 'RTR-0002', name: 'Branch router, Lyon', deviceId: d.fifty, certificateId: null },
    { tag: 'GW-0003', name: 'Cold-store gateway', deviceId: d.quiet, certificateId: null },
    // The same SIM as RTR-0001: the gateway sends its representation twice, devicegraph reads it once.
    { tag: 'RTR-0001-B', name: 'Branch router, Berlin (failover modem)', deviceId: d.busy, certificateId: null },
    { tag: 'TRK-0004', name: 'Truck tracker', deviceId: d.spread, certificateId: null },
    { tag: 'TAB-0005', name: 'Field tablet', deviceId: d.tablet, certificateId: ids.tabletCertificate },
    { tag: 'LAB-0006', name: 'Bench unit, not provisioned', deviceId: null, certificateId: ids.naverCertificate },
  );
  placements.set(d.busy, { owner: 'Network operations', location: 'Berlin, Lager 3' });
  placements.set(d.fifty, { owner: 'Network operations', location: 'Lyon, Part-Dieu' });
  placements.set(d.quiet, { owner: 'Facilities', location: 'Hamburg cold store' });
  placements.set(d.spread, { owner: 'Logistics', location: 'Truck HH-LX 204' });
  placements.set(d.tablet, { owner: 'Field service', location: 'Munich depot' });

  inventory = new ApolloServer({
    schema: buildSubgraphSchema({ typeDefs: INVENTORY_TYPE_DEFS, resolvers: inventoryResolvers as never }),
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  const { url: inventoryUrl } = await startStandaloneServer(inventory, { listen: { host: '127.0.0.1', port: 0 } });
  for (const [name, iccid] of Object.entries(ICCIDS)) carrierPlans.set(iccid, `IoT ${name}`);
  sims = new ApolloServer({
    schema: buildSubgraphSchema({ typeDefs: SIMS_TYPE_DEFS, resolvers: simsResolvers as never }),
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  const { url: simsUrl } = await startStandaloneServer(sims, { listen: { host: '127.0.0.1', port: 0 } });
  proxy = await startRecordingProxy(harness.graph.url);

  const composition = composeServices([
    { name: 'devicegraph', typeDefs: parse(printSubgraphSdl()), url: proxy.url },
    { name: 'inventory', typeDefs: INVENTORY_TYPE_DEFS, url: inventoryUrl },
    { name: 'sims', typeDefs: SIMS_TYPE_DEFS, url: simsUrl },
  ]);
  hints = composition.hints ?? [];
  if (composition.errors) {
    throw new Error(`composition failed:\n${composition.errors.map((error) => error.message).join('\n')}`);
  }
  supergraphSdl = composition.supergraphSdl;

  const gateway = new ApolloGateway({
    supergraphSdl,
    experimental_didResolveQueryPlan: ({ queryPlan }) => void plans.push(queryPlan),
  });
  gatewayServer = new ApolloServer({ gateway });
  ({ url: gatewayUrl } = await startStandaloneServer(gatewayServer, { listen: { host: '127.0.0.1', port: 0 } }));
});

after(async () => {
  await gatewayServer?.stop();
  await inventory?.stop();
  await sims?.stop();
  await proxy?.close();
  await harness?.close();
});

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

async function post(url: string, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLResponse;
}

async function succeeded(response: GraphQLResponse, label: string): Promise<any> {
  assert.equal(response.errors, undefined, `${label}: no errors expected: ${JSON.stringify(response.errors)}`);
  assert.ok(response.data, `${label}: the response has data`);
  return response.data;
}

const directData = async (query: string, variables?: Record<string, unknown>) =>
  succeeded(await harness.query(query, variables), 'devicegraph');

const gatewayData = async (query: string, variables?: Record<string, unknown>) =>
  succeeded(await post(gatewayUrl, query, variables), 'gateway');

/** Vendor calls per vendor (only vendors that were called), since the last `clearCalls()`. */
function vendorCalls(): Partial<Record<VendorName, number>> {
  return Object.fromEntries(VENDORS.map((vendor) => [vendor, harness.calls(vendor)]).filter(([, count]) => count !== 0));
}

/** Runs `work` and returns the vendor calls and the devicegraph requests it caused. */
async function measured<T>(work: () => Promise<T>): Promise<{ result: T; calls: Partial<Record<VendorName, number>>; requests: SubgraphRequest[] }> {
  harness.clearCalls();
  const seen = proxy.requests.length;
  const result = await work();
  return { result, calls: vendorCalls(), requests: proxy.requests.slice(seen) };
}

const entitiesRequests = (requests: SubgraphRequest[]) => requests.filter((request) => request.query.includes('_entities'));

/** Each fetch of a query plan, as the subgraph it goes to. */
function planFetches(node: PlanNode | undefined): string[] {
  if (!node) return [];
  switch (node.kind) {
    case 'Fetch':
      return [node.serviceName];
    case 'Flatten':
      return planFetches(node.node);
    case 'Sequence':
    case 'Parallel':
      return node.nodes.flatMap(planFetches);
    default:
      return [`unexpected ${node.kind} node`];
  }
}

const sum = (calls: Partial<Record<VendorName, number>>) => Object.values(calls).reduce((total, count) => total + (count ?? 0), 0);

const distinct = <T>(values: T[]) => [...new Set(values)];

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

describe('composition', () => {
  it('composes devicegraph with two other subgraphs without errors or hints, Device by both its keys', (t) => {
    t.diagnostic(`composition hints: ${hints.length === 0 ? 'none' : hints.map((hint) => `${hint.definition.code}: ${hint.message}`).join(' | ')}`);
    assert.deepEqual(
      hints.map((hint) => `${hint.definition.code}: ${hint.message}`),
      [],
      'composition gives no hints',
    );
    assert.match(
      supergraphSdl,
      /type Device implements Node\s+@join__implements\(graph: DEVICEGRAPH, interface: "Node"\)\s+@join__type\(graph: DEVICEGRAPH, key: "id"\)\s+@join__type\(graph: DEVICEGRAPH, key: "vendor vendorDeviceId organizationId"\)\s+@join__type\(graph: INVENTORY, key: "id"\)\s+@join__type\(graph: SIMS, key: "vendor vendorDeviceId organizationId"\)/,
    );
    assert.match(supergraphSdl, /type Certificate implements Node\s+@join__implements\(graph: DEVICEGRAPH, interface: "Node"\)\s+@join__type\(graph: DEVICEGRAPH, key: "id"\)\s+@join__type\(graph: INVENTORY, key: "id", resolvable: false\)/);
  });
});

const DEVICE_FIELDS = 'id vendor vendorDeviceId auditEvents(first: 5) { totalCount nodes { __typename occurredAt action } }';

describe('an inventory list whose devices resolve through devicegraph', () => {
  it("returns devicegraph's own answers, from one _entities request and no more vendor calls than asking devicegraph directly", async (t) => {
    const viaGateway = await measured(() => gatewayData(`{ assets { tag name device { owner location ${DEVICE_FIELDS} } } }`));
    const deviceIds = assets.map((asset) => asset.deviceId).filter((id): id is string => id !== null);
    const directly = await measured(() => directData(`query ($ids: [ID!]!) { nodes(ids: $ids) { ... on Device { ${DEVICE_FIELDS} } } }`, { ids: distinct(deviceIds) }));

    // The same data.
    const direct = new Map<string, unknown>(directly.result.nodes.map((node: any) => [node.id, node]));
    const listed = viaGateway.result.assets as any[];
    assert.deepEqual(listed.map((asset) => asset.tag), assets.map((asset) => asset.tag), 'every asset, in inventory order');
    for (const [index, asset] of listed.entries()) {
      const record = assets[index]!;
      if (record.deviceId === null) {
        assert.equal(asset.device, null, `${asset.tag} has no device`);
        continue;
      }
      const { owner, location, ...fromDeviceGraph } = asset.device;
      assert.deepEqual({ owner, location }, placements.get(record.deviceId), `${asset.tag}: owner and location come from the inventory`);
      assert.deepEqual(fromDeviceGraph, direct.get(record.deviceId), `${asset.tag}: the device is what devicegraph answers directly`);
    }
    const busy = listed.find((asset) => asset.tag === 'RTR-0001');
    assert.equal(busy.device.auditEvents.nodes.length, 5, 'the Control Center device has its five newest events');
    assert.equal(listed.find((asset) => asset.tag === 'TAB-0005').device.auditEvents.totalCount, 0, 'the Applivery device has an empty audit trail');

    // Batched: one request to devicegraph, one _entities call for every device of the list.
    const entities = entitiesRequests(viaGateway.requests);
    t.diagnostic(`devicegraph requests: ${viaGateway.requests.length}, _entities: ${entities.length} with ${entities[0]?.representationIds.length} representations (${distinct(deviceIds).length} distinct devices)`);
    assert.equal(viaGateway.requests.length, 1, 'the gateway sent devicegraph one request');
    assert.equal(entities.length, 1, 'one _entities request for all the devices');
    // @apollo/gateway 2.14 sends a repeated device's representation again; devicegraph's `nodes`
    // DataLoader resolves each ID once.
    assert.deepEqual(distinct(entities[0]!.representationIds), distinct(deviceIds), 'it carried every device of the list');
    assert.ok(entities[0]!.representationIds.length <= deviceIds.length, 'at most one representation per asset');
    assert.deepEqual(planFetches(plans.at(-1)?.node), ['inventory', 'devicegraph'], 'the query plan: the inventory, then one devicegraph fetch');

    // No more vendor calls than the same data straight from devicegraph.
    t.diagnostic(`vendor calls: through the gateway ${JSON.stringify(viaGateway.calls)}, directly ${JSON.stringify(directly.calls)}`);
    assert.ok(sum(viaGateway.calls) <= sum(directly.calls), `vendor calls through the gateway (${sum(viaGateway.calls)}) ≤ directly (${sum(directly.calls)})`);
    for (const vendor of VENDORS) {
      assert.ok((viaGateway.calls[vendor] ?? 0) <= (directly.calls[vendor] ?? 0), `${vendor}: no more calls through the gateway than directly`);
    }
    assert.deepEqual(viaGateway.calls, { CISCO_CONTROL_CENTER: Object.keys(ICCIDS).length }, 'one audit-trail call per distinct SIM, none for the tablet');
  });

  it("hands out devicegraph's own cursors: a page read through the gateway pages on directly", async () => {
    const viaGateway = await gatewayData(`{ assets { tag device { auditEvents(first: 3) { pageInfo { hasNextPage endCursor } } } } }`);
    const page = viaGateway.assets.find((asset: any) => asset.tag === 'RTR-0001').device.auditEvents;
    assert.ok(page.pageInfo.hasNextPage, 'the busy device has more events');
    const query = `query ($first: Int!, $after: String) {
      cellularDevice(iccid: ${JSON.stringify(ICCIDS.busy)}) { auditEvents(first: $first, after: $after) { pageInfo { endCursor } nodes { id } } }
    }`;
    const firstPage = await directData(query, { first: 3 });
    assert.equal(page.pageInfo.endCursor, firstPage.cellularDevice.auditEvents.pageInfo.endCursor, 'the same cursor as devicegraph gives directly');
    const next = await directData(query, { first: 3, after: page.pageInfo.endCursor });
    const firstSix = await directData(query, { first: 6 });
    assert.deepEqual(next.cellularDevice.auditEvents.nodes, firstSix.cellularDevice.auditEvents.nodes.slice(3), 'the cursor pages on to events 4 to 6');
  });
});

describe('devicegraph devices resolve the inventory’s fields', () => {
  it('a devicegraph root field picks up owner and location from the inventory', async () => {
    const { result, requests } = await measured(() =>
      gatewayData(`{ cellularDevice(iccid: ${JSON.stringify(ICCIDS.fifty)}) { vendorDeviceId owner location auditEvents(first: 1) { nodes { action } } } }`),
    );
    assert.equal(result.cellularDevice.vendorDeviceId, ICCIDS.fifty, 'the device is devicegraph’s');
    assert.deepEqual(
      { owner: result.cellularDevice.owner, location: result.cellularDevice.location },
      placements.get(ids.devices.fifty),
      'owner and location come from the inventory',
    );
    assert.equal(requests.length, 1, 'devicegraph was asked once');
    assert.deepEqual(planFetches(plans.at(-1)?.node), ['devicegraph', 'inventory'], 'the query plan: devicegraph, then the inventory');
  });
});

describe('certificates the inventory refers to', () => {
  it("resolve through devicegraph's Certificate entity in one _entities request", async (t) => {
    const fields = 'id vendor commonName issuer serialNumber state x509 { sha256Fingerprint }';
    const viaGateway = await measured(() => gatewayData(`{ assets { tag certificate { ${fields} } } }`));
    const certificateIds = assets.map((asset) => asset.certificateId).filter((id): id is string => id !== null);
    const directly = await measured(() => directData(`query ($ids: [ID!]!) { nodes(ids: $ids) { ... on Certificate { ${fields} } } }`, { ids: certificateIds }));

    const listed = (viaGateway.result.assets as any[]).filter((asset) => asset.certificate !== null);
    assert.deepEqual(
      listed.map((asset) => asset.certificate),
      directly.result.nodes,
      "the certificates are devicegraph's direct answers",
    );
    assert.deepEqual(listed.map((asset) => asset.certificate.vendor), ['APPLIVERY', 'NAVER_CLOUD'], 'one Applivery and one NAVER Cloud certificate');
    const entities = entitiesRequests(viaGateway.requests);
    assert.equal(entities.length, 1, 'one _entities request for both certificates');
    assert.deepEqual(entities[0]!.representationIds, certificateIds, 'it carried both certificates');
    t.diagnostic(`vendor calls: through the gateway ${JSON.stringify(viaGateway.calls)}, directly ${JSON.stringify(directly.calls)}`);
    assert.ok(sum(viaGateway.calls) <= sum(directly.calls), `vendor calls through the gateway (${sum(viaGateway.calls)}) ≤ directly (${sum(directly.calls)})`);
  });
});

describe('a subgraph that knows devices only by ICCID (the vendor key)', () => {
  const FIELDS = 'id vendor vendorDeviceId organizationId auditEvents(first: 3) { totalCount nodes { __typename id occurredAt action } }';

  it("refers to devicegraph's devices by the vendor key: devicegraph's own answers, from one _entities request", async (t) => {
    const viaGateway = await measured(() => gatewayData(`{ simCards { iccid plan device { carrierPlan ${FIELDS} } } }`));
    const iccids = [...carrierPlans.keys()].sort();
    const directly = await measured(() =>
      directData(`{ ${iccids.map((iccid, index) => `d${index}: cellularDevice(iccid: ${JSON.stringify(iccid)}) { ${FIELDS} }`).join(' ')} }`),
    );

    const listed = viaGateway.result.simCards as any[];
    assert.deepEqual(listed.map((sim) => sim.iccid), iccids, 'every SIM, in ICCID order');
    for (const [index, sim] of listed.entries()) {
      const { carrierPlan, ...fromDeviceGraph } = sim.device;
      assert.equal(carrierPlan, carrierPlans.get(sim.iccid), `${sim.iccid}: the plan comes from the SIM subgraph`);
      assert.deepEqual(fromDeviceGraph, directly.result[`d${index}`], `${sim.iccid}: the device is what cellularDevice answers directly, id included`);
    }

    const entities = entitiesRequests(viaGateway.requests);
    t.diagnostic(`devicegraph requests: ${viaGateway.requests.length}, _entities: ${entities.length} with ${entities[0]?.representations.length} representations`);
    assert.equal(viaGateway.requests.length, 1, 'the gateway sent devicegraph one request');
    assert.equal(entities.length, 1, 'one _entities request for every SIM');
    assert.deepEqual(
      entities[0]!.representations,
      iccids.map((iccid) => ({ __typename: 'Device', vendor: 'CISCO_CONTROL_CENTER', vendorDeviceId: iccid, organizationId: null })),
      'each SIM by the vendor key: no devicegraph ID anywhere',
    );
    assert.deepEqual(planFetches(plans.at(-1)?.node), ['sims', 'devicegraph'], 'the query plan: the SIM subgraph, then one devicegraph fetch');
    t.diagnostic(`vendor calls: through the gateway ${JSON.stringify(viaGateway.calls)}, directly ${JSON.stringify(directly.calls)}`);
    assert.deepEqual(viaGateway.calls, directly.calls, 'the vendor calls of asking devicegraph directly');
  });

  it('extends devicegraph devices: a devicegraph root field picks up the carrier plan by the vendor key', async () => {
    const { result, requests } = await measured(() =>
      gatewayData(`{ cellularDevice(iccid: ${JSON.stringify(ICCIDS.busy)}) { vendorDeviceId carrierPlan auditEvents(first: 1) { nodes { action } } } }`),
    );
    assert.equal(result.cellularDevice.carrierPlan, carrierPlans.get(ICCIDS.busy), 'the plan comes from the SIM subgraph');
    assert.equal(requests.length, 1, 'devicegraph was asked once');
    assert.deepEqual(planFetches(plans.at(-1)?.node), ['devicegraph', 'sims'], 'the query plan: devicegraph, then the SIM subgraph');
  });

  it('resolves devices by the vendor key, an Applivery device with its organization, in one batch; a key that names no device is refused', async () => {
    const known = await directData(`{
      android: androidDevice(organizationId: ${JSON.stringify(TABLET.organizationId)}, emmDeviceId: ${JSON.stringify(TABLET.emmDeviceId)}) {
        id vendor vendorDeviceId organizationId certificateReport(historyId: ${JSON.stringify(TABLET.historyId)}) { totalReports }
      }
      cellular: cellularDevice(iccid: ${JSON.stringify(ICCIDS.fifty)}) { id vendor vendorDeviceId organizationId certificateReport(historyId: ${JSON.stringify(TABLET.historyId)}) { totalReports } }
    }`);
    const key = ({ vendor, vendorDeviceId, organizationId }: DeviceKey) => ({ __typename: 'Device', vendor, vendorDeviceId, organizationId });
    const entities = `query ($representations: [_Any!]!) {
      _entities(representations: $representations) {
        ... on Device { id vendor vendorDeviceId organizationId certificateReport(historyId: ${JSON.stringify(TABLET.historyId)}) { totalReports } }
      }
    }`;
    const { result, calls } = await measured(() => directData(entities, { representations: [key(known.android), key(known.cellular)] }));
    assert.deepEqual(result._entities, [known.android, known.cellular], 'the devices androidDevice and cellularDevice answer, ids included');
    assert.deepEqual(calls, { APPLIVERY: 1 }, 'one Applivery call, for the report; none to name the devices');

    const nameless = [
      { vendor: 'APPLIVERY', vendorDeviceId: TABLET.emmDeviceId, organizationId: null },
      { vendor: 'CISCO_CONTROL_CENTER', vendorDeviceId: '8901', organizationId: null },
      { vendor: 'CISCO_CONTROL_CENTER', vendorDeviceId: ICCIDS.fifty, organizationId: TABLET.organizationId },
      { vendor: 'AUTOMOX', vendorDeviceId: 'laptop-7', organizationId: null },
      { vendor: 'NAVER_CLOUD', vendorDeviceId: SUBJECT, organizationId: null },
      { vendor: 'MARS', vendorDeviceId: '42', organizationId: null },
    ];
    harness.clearCalls();
    const refused = await harness.query(entities, { representations: nameless.map((device) => ({ __typename: 'Device', ...device })) });
    assert.deepEqual(refused.data?._entities, nameless.map(() => null), 'a key that names no device resolves to null');
    assert.deepEqual(
      refused.errors?.map((error) => [error.path?.[1], error.extensions?.code, error.message]),
      [
        [0, 'BAD_USER_INPUT', 'The Device key names no device: an Applivery device needs its `organizationId`.'],
        [1, 'BAD_USER_INPUT', '`vendorDeviceId` must be an ICCID: 19 or 20 digits starting with 89.'],
        [2, 'BAD_USER_INPUT', 'The Device key names no device: only Applivery devices have an `organizationId`.'],
        [3, 'BAD_USER_INPUT', 'The Device key names no device: an Automox `vendorDeviceId` is the device UUID.'],
        [4, 'BAD_USER_INPUT', 'The Device key names no device: NAVER Cloud records no devices.'],
        [5, 'BAD_USER_INPUT', 'The Device key names no device: `vendor` is not a Vendor.'],
      ],
      JSON.stringify(refused.errors),
    );
    assert.equal(harness.totalCalls(), 0, 'no vendor call');
  });
});

describe('bad input through the gateway', () => {
  // devicegraph refuses a bad argument before execution (src/graph/checks/field-arguments.ts) with HTTP 200
  // and a request error, so the gateway passes its BAD_USER_INPUT error on to the client.
  it('is refused by devicegraph before any vendor call, its BAD_USER_INPUT error passed on to the client', async () => {
    const { result: response, calls } = await measured(() => post(gatewayUrl, `{ assets { tag device { auditEvents(first: 500) { totalCount } } } }`));
    assert.deepEqual(calls, {}, 'no vendor was called');
    assert.deepEqual(
      response.errors?.map((error) => [error.extensions?.code, error.extensions?.serviceName, error.message]),
      [['BAD_USER_INPUT', 'devicegraph', '`first` must be between 0 and 100; it was 500.']],
      `devicegraph's error reaches the client: ${JSON.stringify(response.errors)}`,
    );
  });
});
