import { type Stack, type StackOptions, startStack } from '../../local/stack';

const FREE = { awsPort: 0, webhookPort: 0, sesPort: 0, consolePort: 0, scheduleScale: 0 } as const;
const portOf = (url: string) => Number(new URL(url).port);

let first: Stack;

beforeAll(async () => {
  first = await startStack(FREE);
});
afterAll(() => first.stop());

describe('startStack', () => {
  describe('when a port is taken (a second `npm start`)', () => {
    it.each([
      { server: 'SES', option: 'sesPort', url: 'ses', flag: '--ses-port', what: 'SES' },
      { server: 'AWS endpoint', option: 'awsPort', url: 'aws', flag: '--aws-port', what: 'AWS endpoint' },
      {
        server: 'ops console',
        option: 'consolePort',
        url: 'console',
        flag: '--console-port',
        what: 'ops console',
      },
      {
        server: 'webhook',
        option: 'webhookPort',
        url: 'webhook',
        flag: '--webhook-port',
        what: 'webhook HTTP API',
      },
    ] as const)('names the $server port and its $flag flag', async ({ option, url, flag, what }) => {
      const port = portOf(first.urls[url]);
      const options: StackOptions = { ...FREE, [option]: port };

      await expect(startStack(options)).rejects.toThrow(
        `Port ${port} (${what}) is already in use. Stop whatever uses it, or choose another port with ${flag}.`,
      );
    });
  });
});
