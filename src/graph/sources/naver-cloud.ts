import type { ListSource } from '../connections/list-reader.js';
import { countPart, idCodec, oneOfPart, textPart, vendorIdPart } from '../ids.js';
import { isValidSubjectId, SUBJECT_CREDENTIALS_PAGING } from '../../vendors/naver-cloud/contract.js';
import type { CertificateAuthenticationModel, CertificateModel } from '../models.js';
import type { Loaders } from '../loaders/index.js';
import type { NaverCredentialActivity } from '../../vendors/naver-cloud/client.js';

/** `CertificateSubject` IDs. */
export const CERTIFICATE_SUBJECT_ID = idCodec('CertificateSubject', { subjectId: vendorIdPart(isValidSubjectId) });

/** `CertificateAuthentication` IDs: the subject, and the authentication's position and key in its list. */
export const CERTIFICATE_AUTHENTICATION_ID = idCodec('CertificateAuthentication', { subjectId: vendorIdPart(isValidSubjectId), position: countPart, key: textPart });

/** The IDs of certificates seen in NAVER authentications: the authentication that presented the certificate. */
export const NAVER_CERTIFICATE_ID = idCodec('Certificate', {
  vendor: oneOfPart(['NAVER_CLOUD']),
  subjectId: vendorIdPart(isValidSubjectId),
  position: countPart,
  key: textPart,
});

/** A subject's certificate authentications, as a list the connection engine pages. */
export interface AuthenticationsSource extends ListSource<NaverCredentialActivity> {
  readonly subjectId: string;
}

export function authenticationsSource(loaders: Loaders, subjectId: string): AuthenticationsSource {
  return {
    id: `naver-cloud:authentications:${subjectId}`,
    subjectId,
    paging: SUBJECT_CREDENTIALS_PAGING,
    reportsTotal: SUBJECT_CREDENTIALS_PAGING.reportsTotal,
    async fetch(_offset, limit, pageNumber) {
      const page = await loaders.subjectCredentials.load({ subjectId, page: pageNumber ?? 0, size: limit });
      return { items: page.content, hasMore: (page.pageNo + 1) * limit < page.totalElements, total: page.totalElements };
    },
    key: (activity) => activity.key,
  };
}

/**
 * The certificate presented in one authentication; its ID re-finds that authentication. What
 * NAVER does not report beside the data (common name, …) is read from the data when asked for.
 */
export function toNaverCertificate(subjectId: string, activity: NaverCredentialActivity, position: number): CertificateModel {
  return {
    id: NAVER_CERTIFICATE_ID.encode({ vendor: 'NAVER_CLOUD', subjectId, position, key: activity.key }),
    vendor: 'NAVER_CLOUD',
    commonName: null,
    issuer: activity.issuer,
    serialNumber: activity.serialNumber,
    state: null,
    keyPairAlias: null,
    errorCode: null,
    errorMessage: null,
    updatedAt: null,
    certificateData: activity.x509CertificateData,
  };
}

/** An authentication at `position` of its subject's list as a `CertificateAuthentication` (a `ToNode`: built once per cached answer). */
export function toCertificateAuthentication(activity: NaverCredentialActivity, position: number, { subjectId }: AuthenticationsSource): CertificateAuthenticationModel {
  return {
    __typename: 'CertificateAuthentication',
    id: CERTIFICATE_AUTHENTICATION_ID.encode({ subjectId, position, key: activity.key }),
    vendor: 'NAVER_CLOUD',
    occurredAt: activity.seenTime,
    action: activity.failed ? 'AUTHENTICATION_FAILED' : 'AUTHENTICATION_SUCCEEDED',
    actor: null,
    device: null,
    certificate: activity.x509CertificateData || activity.serialNumber ? toNaverCertificate(subjectId, activity, position) : null,
    failed: activity.failed,
  };
}
