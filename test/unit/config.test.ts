import { loadConfig } from '../../functions/shared/config';
import { ConfigurationError } from '../../functions/shared/errors';

describe('loadConfig', () => {
  it('returns the named variables when they are all set and valid', () => {
    const config = loadConfig({ ACCOUNT_ID: '123456789012', OPS_EMAIL: 'ops@example.com' }, [
      'ACCOUNT_ID',
      'OPS_EMAIL',
    ]);

    expect(config).toEqual({ ACCOUNT_ID: '123456789012', OPS_EMAIL: 'ops@example.com' });
  });

  it('reports every missing and invalid variable at once', () => {
    const load = () =>
      loadConfig({ ACCOUNT_ID: '42', SENDER_EMAIL: '' }, ['ACCOUNT_ID', 'SENDER_EMAIL', 'STATE_MACHINE_ARN']);

    expect(load).toThrow(ConfigurationError);
    expect(load).toThrow(
      'ACCOUNT_ID is invalid: "42"; SENDER_EMAIL is not set; STATE_MACHINE_ARN is not set',
    );
  });

  it('treats CONSOLE_URL as optional, and checks it when set', () => {
    expect(loadConfig({}, ['CONSOLE_URL'])).toEqual({});
    expect(() => loadConfig({ CONSOLE_URL: 'not a url' }, ['CONSOLE_URL'])).toThrow('CONSOLE_URL is invalid');
  });

  it('reads only the variables it is asked for', () => {
    expect(loadConfig({ ACCOUNT_ID: '123456789012', OPS_EMAIL: 'not checked' }, ['ACCOUNT_ID'])).toEqual({
      ACCOUNT_ID: '123456789012',
    });
  });
});
