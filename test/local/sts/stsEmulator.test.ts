import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  STSClient,
  STSServiceException,
} from '@aws-sdk/client-sts';
import { createStsService } from '../../../local/sts/stsService';
import { clientConfig, type ServiceServer, startServiceServer } from '../support/serviceServer';

const ACCOUNT_ID = '123456789012';

describe('STS emulator', () => {
  let server: ServiceServer;
  let url: string;
  let client: STSClient;

  beforeAll(async () => {
    server = await startServiceServer(createStsService({ accountId: ACCOUNT_ID }));
    url = server.endpoint;
    client = new STSClient(clientConfig(url, 'us-east-1'));
  });

  afterAll(async () => {
    client.destroy();
    await server.close();
  });

  const post = (body: string) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });

  describe('GetCallerIdentity', () => {
    it('answers with the calling principal of the configured account', async () => {
      const identity = await client.send(new GetCallerIdentityCommand({}));

      expect(identity.Account).toBe(ACCOUNT_ID);
      expect(identity.UserId).toBe('AIDAEMULATORTEST0000');
      expect(identity.Arn).toBe(`arn:aws:iam::${ACCOUNT_ID}:user/emulator-test`);
      expect(identity.$metadata.httpStatusCode).toBe(200);
      expect(identity.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('answers in the query protocol XML shape, namespaced, with a result wrapper and the request id', async () => {
      const response = await post('Action=GetCallerIdentity&Version=2011-06-15');
      const body = await response.text();

      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/xml');
      expect(body).toMatch(
        /^<GetCallerIdentityResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/"><GetCallerIdentityResult>/,
      );
      expect(body).toContain(`<Arn>arn:aws:iam::${ACCOUNT_ID}:user/emulator-test</Arn>`);
      expect(body).toContain('<UserId>AIDAEMULATORTEST0000</UserId>');
      expect(body).toContain(`<Account>${ACCOUNT_ID}</Account>`);
      expect(body).toContain(
        `<ResponseMetadata><RequestId>${response.headers.get('x-amzn-requestid')}</RequestId>`,
      );
    });

    it('accepts the parameters in the query string of a GET', async () => {
      const response = await fetch(`${url}/?Action=GetCallerIdentity&Version=2011-06-15`);

      expect(response.status).toBe(200);
      expect(await response.text()).toContain(`<Account>${ACCOUNT_ID}</Account>`);
    });
  });

  describe('any other action', () => {
    it('fails with InvalidAction, a client fault with status 400, through the SDK', async () => {
      const call = client.send(
        new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT_ID}:role/r`, RoleSessionName: 's1' }),
      );

      const error = await call.then(
        () => undefined,
        (e: unknown) => e,
      );

      expect(error).toBeInstanceOf(STSServiceException);
      const sts = error as STSServiceException;
      expect(sts.name).toBe('InvalidAction');
      expect(sts.message).toBe('Could not find operation AssumeRole for version 2011-06-15');
      expect(sts.$fault).toBe('client');
      expect(sts.$metadata.httpStatusCode).toBe(400);
    });

    it('renders the error as an ErrorResponse with Type, Code, Message and RequestId', async () => {
      const response = await post('Action=GetSessionToken&Version=2011-06-15');
      const body = await response.text();

      expect(response.status).toBe(400);
      expect(body).toBe(
        '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>' +
          '<Code>InvalidAction</Code><Message>Could not find operation GetSessionToken for version 2011-06-15</Message>' +
          `</Error><RequestId>${response.headers.get('x-amzn-requestid')}</RequestId></ErrorResponse>`,
      );
    });

    it('treats an unsupported API version as an unknown operation', async () => {
      const response = await post('Action=GetCallerIdentity&Version=2010-01-01');

      expect(response.status).toBe(400);
      expect(await response.text()).toContain('<Code>InvalidAction</Code>');
    });

    it('answers a request without an Action with MissingAction', async () => {
      const response = await post('Version=2011-06-15');

      expect(response.status).toBe(400);
      expect(await response.text()).toContain('<Code>MissingAction</Code>');
    });
  });
});
