import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { TASK_CLIENT_OPTIONS } from './sdkOptions';

export const secretsManager = new SecretsManagerClient(TASK_CLIENT_OPTIONS);
