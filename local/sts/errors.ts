import { AwsError } from '../aws/types';

/** The STS API version this emulator answers. */
export const VERSION = '2011-06-15';

// Codes and messages as STS answers them (query protocol).
export const missingAction = () => new AwsError(400, 'MissingAction', 'Missing Action');
export const invalidAction = (action: string, version: string) =>
  new AwsError(400, 'InvalidAction', `Could not find operation ${action} for version ${version}`);
export const internalFailure = () => new AwsError(500, 'InternalFailure', 'An internal error occurred.');
