import {
  GetLoginProfileCommand,
  GetUserCommand,
  ListAttachedUserPoliciesCommand,
  ListGroupsForUserCommand,
} from '@aws-sdk/client-iam';
import { DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import { GetExecutionHistoryCommand } from '@aws-sdk/client-sfn';
import { hireEvent, startTestStack, type TestStack } from './support/testStack';

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
});

afterAll(async () => {
  await stack.close();
});

describe('local stack, end to end', () => {
  describe('when HR posts a signed hire', () => {
    it('onboards the employee: user, groups, policies, boundary, login profile, two emails, no password left behind', async () => {
      const event = hireEvent({
        employee: { givenName: 'Grace', familyName: 'Hopper', jobTitle: 'Site Reliability Engineer' },
      });

      const { status, json } = await stack.postHire(event);
      expect(status).toBe(202);
      expect(json.status).toBe('started');
      const execution = await stack.settle(String(json.executionArn));

      expect(execution.status).toBe('SUCCEEDED');
      const output = JSON.parse(execution.output ?? '{}') as {
        user: { userName: string };
        password: { secretArn: string };
      };
      const userName = output.user.userName;
      expect(userName).toBe('grace.hopper');

      const { User } = await stack.iam.send(new GetUserCommand({ UserName: userName }));
      expect(User?.Path).toBe('/onboarded/');
      expect(User?.PermissionsBoundary?.PermissionsBoundaryArn).toBe(
        'arn:aws:iam::000000000000:policy/iam-onboarding-boundary',
      );
      expect(User?.Tags).toEqual(
        expect.arrayContaining([
          { Key: 'employeeId', Value: event.employee.id },
          { Key: 'eventId', Value: event.eventId },
        ]),
      );
      const { Groups = [] } = await stack.iam.send(new ListGroupsForUserCommand({ UserName: userName }));
      expect(Groups.map((g) => g.GroupName).sort()).toEqual(['Developers', 'Operators']);
      const { AttachedPolicies = [] } = await stack.iam.send(
        new ListAttachedUserPoliciesCommand({ UserName: userName }),
      );
      expect(AttachedPolicies.map((p) => p.PolicyName)).toEqual(['iam-onboarding-self-service']);
      const { LoginProfile } = await stack.iam.send(new GetLoginProfileCommand({ UserName: userName }));
      expect(LoginProfile?.PasswordResetRequired).toBe(true);

      const [welcome, ...moreWelcomes] = await stack.emailsTo(event.employee.workEmail);
      const [passwordEmail, ...morePasswords] = await stack.emailsTo(event.employee.managerEmail);
      expect(moreWelcomes).toHaveLength(0);
      expect(morePasswords).toHaveLength(0);
      expect(welcome?.body.text).toContain('https://000000000000.signin.aws.amazon.com/console');
      expect(welcome?.body.text).toContain(userName);
      const password = /Temporary password:\s*(\S+)/.exec(passwordEmail?.body.text ?? '')?.[1];
      expect(password).toMatch(/^\S{20,}$/);
      expect(welcome?.body.text).not.toContain(password);

      await expect(
        stack.secrets.send(new DescribeSecretCommand({ SecretId: output.password.secretArn })),
      ).rejects.toMatchObject({
        name: 'ResourceNotFoundException',
      });
      const { events = [] } = await stack.sfn.send(
        new GetExecutionHistoryCommand({ executionArn: String(json.executionArn), maxResults: 1000 }),
      );
      expect(events.length).toBeGreaterThan(10);
      expect(JSON.stringify(events)).not.toContain(String(password));
    });
  });
});
