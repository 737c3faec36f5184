import { SESv2Client } from '@aws-sdk/client-sesv2';
import { TASK_CLIENT_OPTIONS } from './sdkOptions';

export const ses = new SESv2Client(TASK_CLIENT_OPTIONS);
