import { Logger } from '@aws-lambda-powertools/logger';

/** The one structured JSON logger. Log a constant message plus a data object; never a secret. */
export const logger = new Logger({ serviceName: 'iam-onboarding' });
