import { ListGroupsForUserCommand } from '@aws-sdk/client-iam';
import {
  GetExecutionHistoryCommand,
  RedriveExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { Browser, Page } from 'playwright-core';
import { hireEvent, startTestStack, type TestStack } from '../e2e/support/testStack';
import { docScreenshot, launchChromium, screenshot } from './support/browser';

const SEEN = { timeout: 10_000 };

let stack: TestStack;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launchChromium();
  // Retry waits at a tenth of their real length: a throttled step stays RUNNING long enough to stop.
  stack = await startTestStack({ consolePort: 0, retryDelayScale: 0.1 });
});

// Every test arranges its own executions on a page of its own, so any one runs alone or in any order.
beforeEach(async () => {
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
});

afterEach(async () => {
  stack.faults.clear();
  await page.close();
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

/** Posts a hire; returns its execution ARN and the manager's address (who gets the password). */
async function hire(givenName: string, familyName: string) {
  const event = hireEvent({ employee: { givenName, familyName } });
  const { status, json } = await stack.postHire(event);
  expect(status).toBe(202);
  return { executionArn: String(json.executionArn), managerEmail: String(event.employee.managerEmail) };
}

/** A hire whose CreateUser fails until its retries run out (FAILED, redrivable), the fault then cleared. */
async function failedHire(givenName: string, familyName: string) {
  stack.faults.addRule({ service: 'iam', action: 'CreateUser', code: 'ServiceFailure', count: 100 });
  const hired = await hire(givenName, familyName);
  expect((await stack.settle(hired.executionArn)).status).toBe('FAILED');
  stack.faults.clear();
  return hired;
}

/** A hire that fails permanently at CreateUser: caught, ops alerted, ends in OnboardingFailed. */
async function caughtHire(givenName: string, familyName: string) {
  stack.faults.addRule({ service: 'iam', action: 'CreateUser', code: 'LimitExceeded', count: 1 });
  const hired = await hire(givenName, familyName);
  expect((await stack.settle(hired.executionArn)).status).toBe('FAILED');
  return hired;
}

async function onboardedHire(givenName: string, familyName: string) {
  const hired = await hire(givenName, familyName);
  expect((await stack.settle(hired.executionArn)).status).toBe('SUCCEEDED');
  return hired;
}

async function openExecution(executionArn: string): Promise<void> {
  // The link NotifyOps sends: <CONSOLE_URL>/executions/<encodeURIComponent(arn)>.
  await page.goto(`${stack.urls.console}/executions/${encodeURIComponent(executionArn)}`);
  await page.locator('#steps tbody tr').first().waitFor(SEEN);
}

const stepRow = (state: string) => page.locator('#steps tbody tr', { has: page.locator(`th#step-${state}`) });
const graphNode = (state: string) => page.locator(`#graph a[href="#step-${state}"]`);

describe('ops console', () => {
  describe('executions list', () => {
    it('shows a new hire reach SUCCEEDED by itself (auto-refresh, no reload)', async () => {
      await page.goto(stack.urls.console);
      await page.evaluate('window.sameDocument = true');

      await hire('Grace', 'Hopper');

      const row = page.locator('#executions tbody tr', { hasText: 'Grace Hopper' });
      await row.filter({ hasText: 'SUCCEEDED' }).waitFor(SEEN);
      expect(await page.evaluate('window.sameDocument')).toBe(true);
      expect(await row.locator('td').nth(1).textContent()).toBe('grace.hopper');
      expect(await row.locator('td').nth(5).textContent()).toBe('');
      await screenshot(page, '1-list-succeeded');
    });

    it('stops polling while the tab is hidden and refreshes as soon as it is shown', async () => {
      await page.goto(stack.urls.console);
      await page.waitForRequest((request) => request.url().includes('/api/executions'), SEEN);
      const polls: string[] = [];
      page.on('request', (request) => {
        if (request.url().includes('/api/executions')) polls.push(request.url());
      });
      const setVisibility = (state: string) =>
        page.evaluate(`Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => '${state}' });
          document.dispatchEvent(new Event('visibilitychange'));`);

      await setVisibility('hidden');
      await new Promise((wait) => setTimeout(wait, 300));
      const whileHidden = polls.length;
      await new Promise((wait) => setTimeout(wait, 2500));
      expect(polls.length).toBe(whileHidden);

      const refreshed = page.waitForRequest((request) => request.url().includes('/api/executions'), SEEN);
      await setVisibility('visible');
      await refreshed;
    });

    it('lists only the executions with the chosen status', async () => {
      await caughtHire('Barbara', 'Liskov');
      await onboardedHire('Frances', 'Allen');
      await page.goto(stack.urls.console);
      await page.locator('#executions tbody tr', { hasText: 'Frances Allen' }).waitFor(SEEN);

      await page.getByLabel('Status').selectOption('FAILED');

      await page.waitForFunction(
        "[...document.querySelectorAll('#executions tbody tr')].every((row) => row.textContent.includes('FAILED'))",
      );
      const rows = page.locator('#executions tbody tr');
      const listed = await rows.allTextContents();
      expect(listed.some((text) => text.includes('Barbara Liskov'))).toBe(true);
      expect(listed.some((text) => text.includes('Frances Allen'))).toBe(false);
      expect(listed.every((text) => text.includes('FAILED'))).toBe(true);
      expect(page.url()).toContain('?status=FAILED');
    });
  });

  describe('when a step fails until its retries run out', () => {
    it('shows the failed state, its retries and its cause', async () => {
      const hired = await failedHire('Alan', 'Turing');

      await page.goto(stack.urls.console);
      const row = page.locator('#executions tbody tr', { hasText: 'Alan Turing' });
      await row.filter({ hasText: 'FAILED' }).waitFor(SEEN);
      expect(await row.locator('td').nth(5).textContent()).toBe('CreateUser');
      await screenshot(page, '2-list-failed');
      await row.getByRole('link', { name: 'Alan Turing' }).click();
      await page.locator('#steps tbody tr').first().waitFor(SEEN);

      expect(await page.locator('#title').textContent()).toContain('FAILED');
      expect(await graphNode('CreateUser').getAttribute('aria-label')).toBe('CreateUser: failed');
      expect(await graphNode('EnsureGroups').getAttribute('aria-label')).toBe('EnsureGroups: not run');
      const { events = [] } = await stack.sfn.send(
        new GetExecutionHistoryCommand({ executionArn: hired.executionArn, maxResults: 1000 }),
      );
      const attempts = events.filter((event) => event.type === 'LambdaFunctionScheduled').length;
      expect(attempts).toBeGreaterThan(1);
      expect(await stepRow('CreateUser').textContent()).toContain(`${attempts} (${attempts - 1} retries)`);
      const failure = await page.locator('#failure').textContent();
      expect(failure).toContain('IamServiceError');
      expect(failure).toContain('IAM CreateUser failed: ServiceFailure: Injected fault: ServiceFailure');
      // The failed step is named once, in "Why it failed".
      expect(await page.locator('main dt', { hasText: /^Failed step$/ }).count()).toBe(1);
      expect(await page.locator('#failure dt:text-is("Failed step") + dd').textContent()).toBe('CreateUser');
      await screenshot(page, '3-execution-failed');
      await docScreenshot(page, 'console');
    });

    it('redrives it from the failed step to SUCCEEDED once the cause is gone', async () => {
      const { executionArn } = await failedHire('John', 'Backus');
      await openExecution(executionArn);

      await page.getByRole('button', { name: 'Redrive' }).click();

      await page.locator('#title', { hasText: 'SUCCEEDED' }).waitFor(SEEN);
      expect(await page.locator('#action-status').textContent()).toContain('Redrive started');
      for (const state of [
        'CreateUser',
        'EnsureGroups',
        'AttachPolicies',
        'GeneratePassword',
        'NotifyUser',
      ]) {
        expect(await graphNode(state).getAttribute('aria-label')).toBe(`${state}: succeeded`);
      }
      expect(await graphNode('NotifyOps').getAttribute('aria-label')).toBe('NotifyOps: not run');
      expect(await page.locator('#timeline').textContent()).toContain('ExecutionRedriven');
      await screenshot(page, '4-execution-redriven');
    });
  });

  it("shows every state's data, which holds the password's secret ARN and never the password", async () => {
    const { executionArn, managerEmail } = await onboardedHire('Donald', 'Knuth');
    const [passwordEmail] = await stack.emailsTo(managerEmail);
    const password = /Temporary password:\s*(\S+)/.exec(passwordEmail?.body.text ?? '')?.[1];
    expect(password).toMatch(/^\S{20,}$/);
    await openExecution(executionArn);

    await page.getByRole('button', { name: 'Expand all data' }).click();

    const secretArn = page.locator('#timeline pre', { hasText: '"secretArn": "arn:aws:secretsmanager:' });
    await secretArn.first().waitFor(SEEN);
    expect(await secretArn.first().textContent()).toContain('temporary-password');
    expect(await page.locator('main').textContent()).not.toContain(String(password));
    await screenshot(page, '5-execution-data');
  });

  describe('event timeline filter', () => {
    it('shows only the events whose state name or type contains the text, and how many of all', async () => {
      const { executionArn } = await onboardedHire('Niklaus', 'Wirth');
      const { events = [] } = await stack.sfn.send(
        new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }),
      );
      const total = events.length;
      const scheduled = events.filter((event) => event.type === 'LambdaFunctionScheduled').length;
      await openExecution(executionArn);
      const filter = page.getByLabel('Filter events');
      const count = page.locator('#timeline-count');
      const visible = page.locator('#timeline > li:visible');
      expect(await count.textContent()).toBe(`${total} of ${total} events shown`);

      await filter.fill('lambdafunctionscheduled');
      expect(await count.textContent()).toBe(`${scheduled} of ${total} events shown`);
      expect(await visible.locator('.type').allTextContents()).toEqual(
        Array(scheduled).fill('LambdaFunctionScheduled'),
      );

      await filter.fill('CreateUser');
      const createUser = await visible.allTextContents();
      expect(createUser.length).toBeGreaterThan(2);
      expect(createUser.every((text) => text.includes('CreateUser'))).toBe(true);
      expect(await count.textContent()).toBe(`${createUser.length} of ${total} events shown`);
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.evaluate("document.getElementById('timeline-heading').scrollIntoView()");
      await docScreenshot(page, 'console-timeline-filter');

      await filter.fill('no such state');
      expect(await count.textContent()).toBe(`0 of ${total} events shown`);
      await filter.fill('');
      expect(await visible.count()).toBe(total);
    });
  });

  describe('when a step fails permanently', () => {
    it('the ops alert links to the execution: the caught state, NotifyOps, and no Redrive that would only fail again', async () => {
      const { executionArn } = await caughtHire('Leslie', 'Lamport');
      const alerts = await stack.emailsTo('ops@example.com');
      const alert = alerts.find((email) => email.subject.includes('Leslie Lamport'));
      const link = /https?:\/\/\S+\/executions\/\S+/.exec(alert?.body.text ?? '')?.[0];
      expect(link).toBe(`${stack.urls.console}/executions/${encodeURIComponent(executionArn)}`);

      await page.goto(String(link));
      await page.locator('#steps tbody tr').first().waitFor(SEEN);

      expect(await graphNode('CreateUser').getAttribute('aria-label')).toBe('CreateUser: caught');
      expect(await graphNode('NotifyOps').getAttribute('aria-label')).toBe('NotifyOps: succeeded');
      expect(await graphNode('OnboardingFailed').getAttribute('aria-label')).toBe('OnboardingFailed: failed');
      expect(await page.locator('#failure').textContent()).toContain('IamLimitExceededError');
      expect(await page.getByRole('button', { name: 'Redrive' }).isDisabled()).toBe(true);
      expect(await page.locator('#action-hint').textContent()).toContain(
        'a redrive would only run OnboardingFailed again',
      );
      await screenshot(page, '6-execution-caught');
    });
  });

  describe('Stop and a refused Redrive', () => {
    it('stops a running execution', async () => {
      stack.faults.addRule({ service: 'iam', action: 'CreateUser', code: 'Throttling', count: 1000 });
      const { executionArn } = await hire('Edsger', 'Dijkstra');
      await openExecution(executionArn);
      expect(await graphNode('CreateUser').getAttribute('aria-label')).toBe('CreateUser: running');

      await page.getByRole('button', { name: 'Stop' }).click();

      await page.locator('#title', { hasText: 'ABORTED' }).waitFor(SEEN);
      expect(await graphNode('CreateUser').getAttribute('aria-label')).toBe('CreateUser: aborted');
    });

    it("shows Step Functions' refusal when someone else redrove the execution first", async () => {
      stack.faults.addRule({ service: 'iam', action: 'CreateUser', code: 'Throttling', count: 1000 });
      const { executionArn } = await hire('Tony', 'Hoare');
      await stack.sfn.send(new StopExecutionCommand({ executionArn }));
      expect((await stack.settle(executionArn)).status).toBe('ABORTED');
      stack.faults.clear();
      await openExecution(executionArn);
      await stack.sfn.send(new RedriveExecutionCommand({ executionArn }));
      await stack.settle(executionArn);

      await page.getByRole('button', { name: 'Redrive' }).click();

      const error = page.locator('#action-error');
      await error.filter({ hasText: 'ExecutionNotRedrivable' }).waitFor(SEEN);
      expect(await error.textContent()).toContain('Execution is SUCCEEDED and cannot be redriven');
      await page.locator('#title', { hasText: 'SUCCEEDED' }).waitFor(SEEN);
      await screenshot(page, '7-redrive-refused');
    });
  });

  describe('users page', () => {
    it('lists an onboarded user with their groups, boundary and a pending password reset', async () => {
      await onboardedHire('Margaret', 'Hamilton');
      const { Groups = [] } = await stack.iam.send(
        new ListGroupsForUserCommand({ UserName: 'margaret.hamilton' }),
      );
      expect(Groups.map((group) => group.GroupName)).toEqual(['Developers']);

      await page.goto(`${stack.urls.console}/users`);
      const row = page.locator('#users tbody tr#user-margaret\\.hamilton');
      await row.waitFor(SEEN);

      const text = await row.textContent();
      expect(text).toContain('Developers');
      expect(text).toContain('iam-onboarding-boundary');
      expect(text).toContain('reset pending');
      await screenshot(page, '8-users');
    });
  });
});
