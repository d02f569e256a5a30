import { APPLIVERY_FIXTURES, APPLIVERY_SIMULATOR_CREDENTIALS } from '../../src/simulators/applivery/simulator.js';
import { AUTOMOX_FIXTURES, AUTOMOX_SIMULATOR_CREDENTIALS } from '../../src/simulators/automox/simulator.js';
import { CONTROL_CENTER_FIXTURES, CONTROL_CENTER_SIMULATOR_CREDENTIALS } from '../../src/simulators/control-center/simulator.js';
import { KOBIL_FIXTURES, KOBIL_SIMULATOR_CREDENTIALS } from '../../src/simulators/kobil/simulator.js';
import { NAVER_CLOUD_FIXTURES, NAVER_CLOUD_SIMULATOR_CREDENTIALS } from '../../src/simulators/naver-cloud/simulator.js';
import type { VendorName } from '../../src/vendors/vendor.js';

/** The fixtures `ALL_VENDORS` reads, one small list per vendor. */
export const iccid = CONTROL_CENTER_FIXTURES.iccidWith50Records;
export const kobilUser = KOBIL_FIXTURES.userWith7Logs;
export const execution = AUTOMOX_FIXTURES.executionWith12Results;
export const subject = NAVER_CLOUD_FIXTURES.subjectIdWith23Activities;
export const report = APPLIVERY_FIXTURES.historyWith3Certificates;

/** One field per vendor under its own alias; a healthy answer costs exactly one call per vendor. */
export const ALL_VENDORS = `{
  cc: cellularDevice(iccid: "${iccid}") { vendorDeviceId auditEvents(first: 3) { edges { node { id } } } }
  kobil: kobilUser(userName: "${kobilUser}") { userName activity(first: 3) { edges { node { id } } } }
  automox: policyExecution(policyId: "${execution.policyId}", executionToken: "${execution.executionToken}") { policyId deviceResults(first: 3) { totalCount edges { node { id } } } }
  naver: certificateSubject(subjectId: "${subject}") { subjectId authentications(first: 3) { totalCount edges { node { id } } } }
  android: androidDevice(organizationId: "${report.organizationId}", emmDeviceId: "${report.emmDeviceId}") {
    vendorDeviceId
    certificateReport(historyId: "${report.historyId}") { totalReports certificates(first: 3) { edges { node { id } } } }
  }
}`;

/** Where each vendor's data sits in `ALL_VENDORS`: the nullable field its failure nulls, and a check that it is complete. */
export const FIELDS: Record<VendorName, { path: string[]; present(data: any): boolean }> = {
  CISCO_CONTROL_CENTER: { path: ['cc'], present: (d) => d?.cc?.auditEvents?.edges?.length === 3 },
  KOBIL: { path: ['kobil'], present: (d) => d?.kobil?.activity?.edges?.length === 3 },
  AUTOMOX: { path: ['automox'], present: (d) => d?.automox?.deviceResults?.totalCount === execution.resultCount && d.automox.deviceResults.edges.length === 3 },
  NAVER_CLOUD: { path: ['naver'], present: (d) => d?.naver?.authentications?.totalCount === 23 && d.naver.authentications.edges.length === 3 },
  APPLIVERY: { path: ['android', 'certificateReport'], present: (d) => d?.android?.certificateReport?.certificates?.edges?.length === 3 },
};

/** The value at `path` in a response's data. */
export function at(data: any, path: string[]): unknown {
  return path.reduce((value, key) => (value == null ? value : value[key]), data);
}

/** Every credential the simulators accept, and Control Center's Basic-auth form: none may ever appear in a body or a log. */
export const SIMULATOR_SECRETS = [
  ...Object.values(APPLIVERY_SIMULATOR_CREDENTIALS),
  ...Object.values(CONTROL_CENTER_SIMULATOR_CREDENTIALS),
  Buffer.from(`${CONTROL_CENTER_SIMULATOR_CREDENTIALS.username}:${CONTROL_CENTER_SIMULATOR_CREDENTIALS.apiKey}`).toString('base64'),
  ...Object.values(KOBIL_SIMULATOR_CREDENTIALS),
  ...Object.values(AUTOMOX_SIMULATOR_CREDENTIALS),
  ...Object.values(NAVER_CLOUD_SIMULATOR_CREDENTIALS),
];
