import type { Resolvers } from '../../generated/graphql.js';
import { reportCertificatesSource, toAppliveryCertificate } from '../sources/applivery.js';
import { authenticationsSource, toCertificateAuthentication } from '../sources/naver-cloud.js';
import { parseX509, type X509Details } from '../../vendors/x509.js';
import { memoize } from '../../memoize.js';
import { toGlobalId } from '../ids.js';
import { listPage } from './list-page.js';
import type { CertificateModel } from '../models.js';
import { withCheckedArguments } from '../checks/field-arguments.js';

/** Parses a certificate's data once per distinct certificate: a subject's authentications present the same few. */
const parseCertificate = memoize(parseX509, 512);

/** The certificate's parsed X.509 data, parsed only when a field needs it. */
function x509Of(certificate: CertificateModel): X509Details | null {
  return certificate.certificateData ? parseCertificate(certificate.certificateData) : null;
}

function commonNameOf(distinguishedName: string | undefined): string | null {
  return distinguishedName ? (/(?:^|,\s*)CN=([^,]+)/.exec(distinguishedName)?.[1]?.trim() ?? null) : null;
}

export const certificateResolvers: Resolvers = {
  Query: {
    certificateSubject: withCheckedArguments('Query.certificateSubject', (_root, { subjectId }) => ({ subjectId })),
  },
  Certificate: {
    commonName: (certificate) => certificate.commonName ?? commonNameOf(x509Of(certificate)?.subject),
    issuer: (certificate) => certificate.issuer ?? x509Of(certificate)?.issuer ?? null,
    serialNumber: (certificate) => certificate.serialNumber ?? x509Of(certificate)?.serialNumber ?? null,
    x509: (certificate) => x509Of(certificate),
    __resolveReference: async (reference, context) => {
      const node = await context.nodes.load(reference.id);
      return node?.__typename === 'Certificate' ? node : null;
    },
  },
  CertificateReport: {
    id: (report) => toGlobalId('CertificateReport', report.organizationId, report.emmDeviceId, report.historyId),
    certificates: withCheckedArguments('CertificateReport.certificates', (report, { paging, state }, context) => {
      const source = reportCertificatesSource(context.loaders, report, state);
      return listPage(context, source, paging, (certificate) => toAppliveryCertificate(report, certificate));
    }),
  },
  CertificateSubject: {
    id: (subject) => toGlobalId('CertificateSubject', subject.subjectId),
    authentications: withCheckedArguments('CertificateSubject.authentications', ({ subjectId }, { paging }, context) => {
      const source = authenticationsSource(context.loaders, subjectId);
      return listPage(context, source, paging, (activity, position) => toCertificateAuthentication(subjectId, activity, position));
    }),
  },
};
