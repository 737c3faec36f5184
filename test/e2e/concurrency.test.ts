import { paginateListExecutions } from '@aws-sdk/client-sfn';
import { executionName } from '../../functions/shared/executionName';
import { expectOnboarded } from './support/expectOnboarded';
import { executionHistory, invocationsByState } from './support/inspect';
import { hireEvent, startTestStack, type TestStack } from './support/testStack';

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({ functionEnvironment: { POWERTOOLS_LOG_LEVEL: 'SILENT' } });
});

afterAll(async () => {
  await stack.close();
});

/** Every execution of the onboarding state machine, by name. */
async function executionNames(): Promise<string[]> {
  const names: string[] = [];
  const pages = paginateListExecutions({ client: stack.sfn }, { stateMachineArn: stack.stateMachineArn });
  for await (const page of pages)
    for (const execution of page.executions ?? []) names.push(execution.name ?? '');
  return names;
}

/** Asserts the execution ran once: one ExecutionStarted and one invocation of every step. */
async function expectRanOnce(executionArn: string): Promise<void> {
  const history = await executionHistory(stack.sfn, executionArn);
  expect(history.filter((event) => event.type === 'ExecutionStarted')).toHaveLength(1);
  expect(invocationsByState(history)).toEqual({
    CreateUser: 1,
    EnsureGroups: 1,
    AttachPolicies: 1,
    GeneratePassword: 1,
    NotifyUser: 1,
  });
}

describe('duplicate and concurrent hires, end to end', () => {
  describe('when HR resends an event after its onboarding ended', () => {
    it('answers 202 duplicate with the same execution, and 409 for the same eventId with another body', async () => {
      const event = hireEvent();
      const first = await stack.postHire(event);
      const executionArn = String(first.json.executionArn);
      expect((await stack.settle(executionArn)).status).toBe('SUCCEEDED');

      const resend = await stack.postHire(event);
      const conflict = await stack.postHire({ ...event, occurredAt: '2026-11-29T09:00:00Z' });

      expect(first).toMatchObject({ status: 202, json: { status: 'started' } });
      expect(resend).toMatchObject({ status: 202, json: { executionArn, status: 'duplicate' } });
      expect(conflict.status).toBe(409);
      expect(conflict.json.message).toContain(event.eventId);
      await expectRanOnce(executionArn);
      await expectOnboarded(stack, event);
    });
  });

  describe('when HR posts one event 50 times at once', () => {
    it('starts exactly one execution and answers every post 202 with its ARN', async () => {
      const event = hireEvent();
      const before = await executionNames();

      const responses = await Promise.all(Array.from({ length: 50 }, () => stack.postHire(event)));

      const [first] = responses;
      const executionArn = String(first?.json.executionArn);
      expect(executionArn).toContain(executionName(event.eventId));
      for (const response of responses) {
        expect(response).toMatchObject({ status: 202, json: { executionArn } });
        expect(['started', 'duplicate']).toContain(response.json.status);
      }
      expect(responses.map((response) => response.json.status)).toContain('started');
      expect((await stack.settle(executionArn)).status).toBe('SUCCEEDED');
      const added = (await executionNames()).filter((name) => !before.includes(name));
      expect(added).toEqual([executionName(event.eventId)]);
      await expectRanOnce(executionArn);
      await expectOnboarded(stack, event);
    });
  });

  describe('when two different hires derive the same user name at the same time', () => {
    it('creates two distinct users, each with its own tags, groups and emails', async () => {
      const familyName = `Twin${Date.now().toString(36).replace(/\d/g, '')}`;
      const twins = [1, 2].map(() => hireEvent({ employee: { givenName: 'Ada', familyName } }));
      const sameName = twins.map((t) => `${t.employee.givenName}.${t.employee.familyName}`.toLowerCase());
      expect(new Set(sameName).size).toBe(1);

      const arns = await Promise.all(
        twins.map(async (hire) => String((await stack.postHire(hire)).json.executionArn)),
      );
      const executions = await Promise.all(arns.map((arn) => stack.settle(arn)));

      expect(executions.map((e) => e.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
      const users = [];
      for (const hire of twins) users.push((await expectOnboarded(stack, hire)).user);
      const names = users.map((user) => user.userName);
      expect(new Set(names).size).toBe(2);
      // One gets the name; the other the deterministic alternative with its own employee id.
      const base = sameName[0] ?? '';
      const alternative = (i: number) => `${base}-${twins[i]?.employee.id.toLowerCase()}`;
      expect([
        [base, alternative(1)],
        [alternative(0), base],
      ]).toContainEqual(names);
    });
  });
});
