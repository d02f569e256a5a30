import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Kind, parse, print, visit } from 'graphql';
import { printRouterApiSchema, printSubgraphClientSchema } from '../support/client-schema.js';

/**
 * The Relay fixture frontend in test/relay/fixture/ — @connection pagination over every connection
 * of the graph, @refetchable fragments on Node types and on Query — compiled by relay-compiler
 * against the schema a frontend sees: the router's API schema (devicegraph composed alone) and the
 * subgraph's own schema without federation machinery. Everything relay writes goes to a temp dir.
 */

const FIXTURE_DIR = fileURLToPath(new URL('./fixture/', import.meta.url));
const RELAY_CLI = join(dirname(createRequire(import.meta.url).resolve('relay-compiler/package.json')), 'cli.js');

/** The queries relay generates for the @refetchable fragments, and how each pages. */
const REFETCHABLE: Array<{ query: string; fragment: string; via: 'node' | 'root'; direction?: 'forward' | 'bidirectional'; connection?: string }> = [
  { query: 'DeviceAuditEventsPaginationQuery', fragment: 'DeviceAuditEvents_device', via: 'node', direction: 'bidirectional', connection: 'auditEvents' },
  { query: 'KobilUserActivityPaginationQuery', fragment: 'KobilUserActivity_user', via: 'node', direction: 'forward', connection: 'activity' },
  { query: 'PolicyExecutionDeviceResultsPaginationQuery', fragment: 'PolicyExecutionDeviceResults_execution', via: 'node', direction: 'forward', connection: 'deviceResults' },
  { query: 'CertificateSubjectAuthenticationsPaginationQuery', fragment: 'CertificateSubjectAuthentications_subject', via: 'node', direction: 'bidirectional', connection: 'authentications' },
  { query: 'TimelinePaginationQuery', fragment: 'Timeline_query', via: 'root', direction: 'bidirectional', connection: 'timeline' },
  { query: 'DeviceCertificateReportCertificatesPaginationQuery', fragment: 'DeviceCertificateReport_report', via: 'node', direction: 'bidirectional', connection: 'certificates' },
  { query: 'CertificateDetailsRefetchQuery', fragment: 'CertificateDetails_certificate', via: 'node' },
  { query: 'DeviceCertificateReportRefetchQuery', fragment: 'DeviceCertificateReport_device', via: 'node' },
];

const OPERATIONS = ['DeviceAuditEventsQuery', 'KobilUserActivityQuery', 'PolicyExecutionDeviceResultsQuery', 'CertificateSubjectAuthenticationsQuery', 'TimelineQuery', 'DeviceCertificateReportQuery', 'NodeLookupQuery'];

interface RelayRun {
  status: number | null;
  output: string;
  artifactDir: string;
}

let workDir: string;

before(() => {
  workDir = mkdtempSync(join(tmpdir(), 'devicegraph-relay-'));
});

after(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

/** Writes `schemaSdl` and a relay.config.json (artifacts into the same temp dir) into a fresh dir under the temp dir. */
function setUpProject(name: string, schemaSdl: string): { configPath: string; artifactDir: string } {
  const projectDir = join(workDir, name);
  const artifactDir = join(projectDir, '__generated__');
  mkdirSync(artifactDir, { recursive: true });
  const schemaPath = join(projectDir, 'schema.graphql');
  writeFileSync(schemaPath, schemaSdl);
  const configPath = join(projectDir, 'relay.config.json');
  const config = {
    src: FIXTURE_DIR,
    schema: schemaPath,
    artifactDirectory: artifactDir,
    language: 'typescript',
    eagerEsModules: true,
    customScalarTypes: { DateTime: 'string', UUID: 'string' },
  };
  writeFileSync(configPath, JSON.stringify(config, null, 2));
  return { configPath, artifactDir };
}

function runRelay(configPath: string, artifactDir: string, extraArgs: string[] = []): RelayRun {
  const result = spawnSync(process.execPath, [RELAY_CLI, '--noWatchman', '--output', 'verbose', ...extraArgs, configPath], {
    cwd: dirname(configPath),
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  // eslint-disable-next-line no-control-regex
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? `\n${String(result.error)}` : ''}`.replace(/\x1b\[[0-9;]*m/g, '');
  return { status: result.status, output, artifactDir };
}

function compile(name: string, schemaSdl: string): RelayRun {
  const { configPath, artifactDir } = setUpProject(name, schemaSdl);
  return runRelay(configPath, artifactDir);
}

function artifact(run: RelayRun, name: string): string {
  const path = join(run.artifactDir, `${name}.graphql.ts`);
  assert.ok(existsSync(path), `relay generated no ${name}.graphql.ts; it wrote: ${readdirSync(run.artifactDir).join(', ')}\n${run.output}`);
  return readFileSync(path, 'utf8');
}

function assertCompiled(run: RelayRun): void {
  assert.equal(run.status, 0, `relay-compiler refused the fixture against the schema (exit ${run.status}):\n${run.output}`);
}

function checkArtifacts(run: RelayRun): void {
  for (const { query, fragment, via, direction, connection } of REFETCHABLE) {
    const text = artifact(run, query);
    assert.match(text, new RegExp(`"operationKind": "query"`), `${query} is not a query artifact`);
    if (via === 'node') {
      assert.match(text, /node\(id: \$id\)/, `${query} does not refetch through Query.node(id:):\n${text.slice(0, 2000)}`);
    } else {
      assert.doesNotMatch(text, /node\(id: \$id\)/, `${query} refetches a Query fragment, not through node(id:)`);
    }
    const fragmentText = artifact(run, fragment);
    assert.match(fragmentText, new RegExp(`import ${query}_graphql from './${query}.graphql';[^]*"operation": ${query}_graphql\\b`), `${fragment} does not point at ${query}`);
    assert.match(fragmentText, new RegExp(`"fragmentPathInResult": \\[${via === 'node' ? '\\s*"node"\\s*' : '\\s*'}\\]`), `${fragment} reads its refetch result from the wrong path`);
    if (direction && connection) {
      assert.match(fragmentText, new RegExp(`"direction": "${direction}"`), `${fragment}: ${connection} should page ${direction}`);
      assert.match(fragmentText, new RegExp(`"__${fragment.split('_')[0]}_${connection}_connection"`), `${fragment}: no @connection store key for ${connection}`);
    }
  }
  for (const operation of OPERATIONS) artifact(run, operation);
}

describe('relay-compiler against the router API schema (devicegraph composed alone)', () => {
  let run: RelayRun;
  let configPath: string;

  before(() => {
    const project = setUpProject('router', printRouterApiSchema());
    configPath = project.configPath;
    run = runRelay(configPath, project.artifactDir);
  });

  it('compiles the fixture: exit code 0', () => {
    assertCompiled(run);
  });

  it('generates the refetchable pagination queries, refetching Node types through node(id:)', () => {
    assertCompiled(run);
    checkArtifacts(run);
  });

  it('sees nothing left to write on a second run with --validate', () => {
    assertCompiled(run);
    const validate = runRelay(configPath, run.artifactDir, ['--validate']);
    assert.equal(validate.status, 0, `relay-compiler --validate found pending changes or errors (exit ${validate.status}):\n${validate.output}`);
  });
});

describe('relay-compiler against the subgraph schema without federation machinery', () => {
  let run: RelayRun;

  before(() => {
    run = compile('subgraph', printSubgraphClientSchema());
  });

  it('compiles the fixture: exit code 0', () => {
    assertCompiled(run);
  });

  it('generates the refetchable pagination queries', () => {
    assertCompiled(run);
    checkArtifacts(run);
  });

  it('types TimelineSource as exactly one of its fields (@oneOf)', () => {
    assertCompiled(run);
    const text = artifact(run, 'TimelinePaginationQuery');
    assert.match(text, /export type TimelineSource = \{[^}]*iccid: string;[^}]*\} \| \{/, `TimelineSource is not a one-of union:\n${text.slice(0, 1500)}`);
  });
});

describe('the relay test itself', () => {
  it('fails, with relay’s explanation, against a schema without Query.node', () => {
    const withoutNode = visit(parse(printSubgraphClientSchema()), {
      ObjectTypeDefinition: (node) =>
        node.name.value === 'Query' ? { ...node, fields: node.fields?.filter((field) => field.name.value !== 'node') } : undefined,
    });
    assert.equal(withoutNode.definitions.some((d) => d.kind === Kind.OBJECT_TYPE_DEFINITION && d.name.value === 'Query'), true, 'Query survives the edit');
    const broken = compile('without-node', print(withoutNode));
    assert.notEqual(broken.status, 0, `relay-compiler accepted the fixture without Query.node:\n${broken.output}`);
    assert.match(broken.output, /`Query` has no field `node`/, `relay's output does not explain the refusal:\n${broken.output}`);
  });
});
