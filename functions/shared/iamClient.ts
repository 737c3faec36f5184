import { IAMClient } from '@aws-sdk/client-iam';
import { TASK_CLIENT_OPTIONS } from './sdkOptions';

export const iam = new IAMClient(TASK_CLIENT_OPTIONS);
