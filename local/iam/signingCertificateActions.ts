import { createHash, X509Certificate } from 'node:crypto';
import type { Principal } from '../authz/principals';
import { duplicateCertificate, malformedCertificate, noSuchEntity, quotaExceeded } from './errors';
import { isoNow, newCertificateId } from './ids';
import { requestUser } from './implicitUser';
import { nameKey, type SigningCertificateRecord, type UserRecord } from './model';
import { pageFields, paginate } from './pagination';
import type { Handlers, Params } from './params';
import { QUOTAS } from './quotas';
import { RULES } from './rules';
import type { IamState } from './state';

const PEM_CERTIFICATE =
  /^\s*-----BEGIN CERTIFICATE-----\r?\n[A-Za-z0-9+/=\r\n]+-----END CERTIFICATE-----\s*$/;

const certificateXml = (certificate: SigningCertificateRecord, user: UserRecord) => ({
  UserName: user.userName,
  CertificateId: certificate.certificateId,
  CertificateBody: certificate.certificateBody,
  Status: certificate.status,
  UploadDate: certificate.uploadDate,
});

/** One PEM X.509 certificate that parses and has not expired; its SHA-256 fingerprint. */
function parseCertificate(body: string): string {
  let certificate: X509Certificate;
  try {
    if (!PEM_CERTIFICATE.test(body)) throw new Error('not a single PEM certificate');
    certificate = new X509Certificate(body);
  } catch {
    throw malformedCertificate(
      'Unable to parse certificate. Please ensure the certificate is in PEM format.',
    );
  }
  if (new Date(certificate.validTo).getTime() < Date.now()) {
    throw malformedCertificate('The certificate has expired.');
  }
  return createHash('sha256').update(certificate.raw).digest('hex');
}

function requireCertificate(params: Params, state: IamState, caller: Principal) {
  const user = requestUser(params, state, caller);
  const id = params.required('CertificateId', RULES.certificateId);
  const certificate = state.signingCertificates.get(id);
  if (!certificate || certificate.userKey !== nameKey(user.userName)) {
    throw noSuchEntity(`The Certificate with id ${id} cannot be found.`);
  }
  return certificate;
}

/** X.509 signing certificates of IAM users (SOAP-era services): at most two per user. */
export const signingCertificateActions: Handlers = {
  UploadSigningCertificate: (params, state, caller) => {
    const user = requestUser(params, state, caller);
    const body = params.required('CertificateBody', RULES.certificateBody);
    const fingerprint = parseCertificate(body);
    const userKey = nameKey(user.userName);
    if (state.signingCertificates.values().some((existing) => existing.fingerprint === fingerprint)) {
      throw duplicateCertificate('The same certificate is associated with an IAM user in the account.');
    }
    if (state.ownedBy(state.signingCertificates, userKey).length >= QUOTAS.signingCertificatesPerUser) {
      throw quotaExceeded('CertificatesPerUser', QUOTAS.signingCertificatesPerUser);
    }
    const certificate: SigningCertificateRecord = {
      certificateId: newCertificateId(),
      userKey,
      certificateBody: body,
      fingerprint,
      status: 'Active',
      uploadDate: isoNow(),
    };
    state.signingCertificates.set(certificate.certificateId, certificate);
    return { Certificate: certificateXml(certificate, user) };
  },

  ListSigningCertificates: (params, state, caller) => {
    const user = requestUser(params, state, caller);
    const certificates = state.ownedBy(state.signingCertificates, nameKey(user.userName));
    const page = paginate(certificates, (c) => `${c.uploadDate} ${c.certificateId}`, params);
    return { Certificates: page.items.map((c) => certificateXml(c, user)), ...pageFields(page) };
  },

  UpdateSigningCertificate: (params, state, caller) => {
    const certificate = requireCertificate(params, state, caller);
    const status = params.status();
    state.signingCertificates.set(certificate.certificateId, { ...certificate, status });
    return undefined;
  },

  DeleteSigningCertificate: (params, state, caller) => {
    const certificate = requireCertificate(params, state, caller);
    state.signingCertificates.delete(certificate.certificateId);
    return undefined;
  },
};
