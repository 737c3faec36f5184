import { serviceOf } from '../../../local/aws/endpoint';

const signedFor = (service: string) => ({
  authorization: `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250101/us-east-1/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc123`,
});

describe('serviceOf', () => {
  describe('when the request is SigV4-signed', () => {
    it.each(['iam', 'sts', 'secretsmanager', 'states', 'ses'])(
      'routes a %s request by its credential scope',
      (service) => {
        expect(serviceOf(signedFor(service))).toBe(service);
      },
    );

    it('prefers the credential scope over X-Amz-Target', () => {
      const headers = { ...signedFor('sts'), 'x-amz-target': 'AWSStepFunctions.StartExecution' };

      expect(serviceOf(headers)).toBe('sts');
    });
  });

  describe('when the request is not signed', () => {
    it('routes Step Functions by the AWSStepFunctions target prefix', () => {
      expect(serviceOf({ 'x-amz-target': 'AWSStepFunctions.StartExecution' })).toBe('states');
    });

    it('routes Secrets Manager by the secretsmanager target prefix', () => {
      expect(serviceOf({ 'x-amz-target': 'secretsmanager.GetSecretValue' })).toBe('secretsmanager');
    });

    it('falls back to X-Amz-Target when Authorization has no credential scope', () => {
      const headers = { authorization: 'Bearer token', 'x-amz-target': 'secretsmanager.GetSecretValue' };

      expect(serviceOf(headers)).toBe('secretsmanager');
    });

    it('returns undefined for an unknown target prefix', () => {
      expect(serviceOf({ 'x-amz-target': 'Kinesis_20131202.PutRecord' })).toBeUndefined();
    });

    it('returns undefined without Authorization or X-Amz-Target', () => {
      expect(serviceOf({ 'content-type': 'application/json' })).toBeUndefined();
    });
  });
});
