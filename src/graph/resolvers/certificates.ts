import type { Resolvers } from '../../generated/graphql.js';
import { CERTIFICATE_REPORT_ID, reportCertificatesSource, toAppliveryCertificate } from '../sources/applivery.js';
import { authenticationsSource, CERTIFICATE_SUBJECT_ID, toCertificateAuthentication } from '../sources/naver-cloud.js';
import { parseX509, type X509Details } from '../../vendors/x509.js';
import { memoize } from '../../memoize.js';
import { listPage } from './list-page.js';
import type { CertificateModel } from '../models.js';
import { withCheckedArguments } from '../checks/field-arguments.js';
import { loadEntity } from '../context.js';

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
    __resolveReference: (reference, context) => loadEntity(context, reference.id, 'Certificate'),
  },
  CertificateReport: {
    id: (report) => CERTIFICATE_REPORT_ID.encode(report),
    certificates: withCheckedArguments('CertificateReport.certificates', (report, { paging, state }, context) => {
      const source = reportCertificatesSource(context.loaders, report, state);
      return listPage(context, source, paging, (certificate) => toAppliveryCertificate(report, certificate));
    }),
  },
  CertificateSubject: {
    id: (subject) => CERTIFICATE_SUBJECT_ID.encode(subject),
    authentications: withCheckedArguments('CertificateSubject.authentications', ({ subjectId }, { paging }, context) => {
      const source = authenticationsSource(context.loaders, subjectId);
      return listPage(context, source, paging, toCertificateAuthentication);
    }),
  },
};
