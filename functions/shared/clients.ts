import { IAMClient } from '@aws-sdk/client-iam';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SFNClient } from '@aws-sdk/client-sfn';

// Created once per container and configured only by the environment (region, credentials and
// AWS_ENDPOINT_URL_<SERVICE> for the local stack). One SDK attempt each: Step Functions owns the
// retries, with jitter and a visible history, so they are not multiplied by the SDK's own.
const options = { maxAttempts: 1 };

export const iam = new IAMClient(options);
export const secretsManager = new SecretsManagerClient(options);
export const ses = new SESv2Client(options);
export const sfn = new SFNClient({ maxAttempts: 3 });
