import { executionLink, signInUrl } from '../../functions/shared/links';
import { executionArn } from '../support/lambda';

describe('executionLink', () => {
  it('links to the Step Functions console of the region', () => {
    expect(executionLink(executionArn, 'eu-west-1')).toBe(
      `https://eu-west-1.console.aws.amazon.com/states/home?region=eu-west-1#/v2/executions/details/${executionArn}`,
    );
  });

  it('links to the local ops console with the ARN encoded when CONSOLE_URL is set', () => {
    expect(executionLink(executionArn, 'eu-west-1', 'http://127.0.0.1:4566/console/')).toBe(
      'http://127.0.0.1:4566/console/executions/arn%3Aaws%3Astates%3Aeu-west-1%3A123456789012%3Aexecution%3Aonboarding%3Aevt-1',
    );
  });
});

describe('signInUrl', () => {
  it('is the console sign-in URL of the account alias or id', () => {
    expect(signInUrl('acme')).toBe('https://acme.signin.aws.amazon.com/console');
    expect(signInUrl('123456789012')).toBe('https://123456789012.signin.aws.amazon.com/console');
  });
});
