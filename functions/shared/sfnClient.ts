import { SFNClient } from '@aws-sdk/client-sfn';

/** The webhook's: it answers HR itself, so the SDK retries a busy Step Functions a little first. */
export const sfn = new SFNClient({ maxAttempts: 3 });
