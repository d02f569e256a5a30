import type { Resolvers } from '../../generated/graphql.js';
import { reportCertificatesSource, toAppliveryCertificate } from '../../vendors/applivery/graph.js';
import { authenticationsSource, toCertificateAuthentication } from '../../vendors/naver-cloud/graph.js';
import { parseX509 } from '../../vendors/x509.js';
import { readSlice } from '../connections/arguments.js';
import { resolveListConnection } from '../connections/connection.js';
import { toGlobalId } from '../ids.js';
import { checkSubjectId } from '../validate.js';

export const certificateResolvers: Resolvers = {
  Query: {
    certificateSubject: (_root, { subjectId }) => ({ subjectId: checkSubjectId(subjectId) }),
  },
  Certificate: {
    x509: (certificate) => (certificate.certificateData ? parseX509(certificate.certificateData) : null),
    __resolveReference: async (reference, context) => {
      const node = await context.nodes.load(reference.id);
      return node?.__typename === 'Certificate' ? node : null;
    },
  },
  CertificateReport: {
    id: (report) => toGlobalId('CertificateReport', report.organizationId, report.emmDeviceId, report.historyId),
    certificates: async (report, args, { loaders }) => {
      const source = reportCertificatesSource(loaders, report, args.state ?? null);
      return resolveListConnection(source, readSlice(args, source.id), (certificate) => toAppliveryCertificate(report, certificate));
    },
  },
  CertificateSubject: {
    id: (subject) => toGlobalId('CertificateSubject', subject.subjectId),
    authentications: async ({ subjectId }, args, { loaders }) => {
      const source = authenticationsSource(loaders, subjectId);
      return resolveListConnection(source, readSlice(args, source.id), (activity, position) =>
        toCertificateAuthentication(subjectId, activity, position),
      );
    },
  },
};
