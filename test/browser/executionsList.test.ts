import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import type { Browser, Page, Route } from 'playwright-core';
import { formatDate } from '../../cli/format';
import { hireEvent, startTestStack, type TestStack } from '../e2e/support/testStack';
import { docScreenshot, launchChromium } from './support/browser';

const SEEN = { timeout: 10_000 };
const DAY_MS = 86_400_000;

let stack: TestStack;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launchChromium();
  // Retry waits at a tenth of their real length: a throttled step stays RUNNING long enough to stop.
  stack = await startTestStack({ consolePort: 0, retryDelayScale: 0.1 });
});

// Every test arranges its own executions (unique names) on a page of its own: any order, any one alone.
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

/** Letters only (it becomes part of a user name), unique in this run. */
function unique(base: string): string {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  return base + Array.from({ length: 6 }, () => letters[Math.floor(Math.random() * 26)]).join('');
}

type Hired = { executionArn: string; event: ReturnType<typeof hireEvent>; userName: string; person: string };

async function hire(givenName: string, familyName: string, status?: string): Promise<Hired> {
  const event = hireEvent({ employee: { givenName, familyName } });
  const answer = await stack.postHire(event);
  expect(answer.status).toBe(202);
  const executionArn = String(answer.json.executionArn);
  if (status) expect((await stack.settle(executionArn)).status).toBe(status);
  const userName = `${givenName}.${familyName}`.toLowerCase();
  return { executionArn, event, userName, person: `${givenName} ${familyName}` };
}

/** CreateUser fails until its retries run out: FAILED at CreateUser, redrivable. */
async function failedHire(givenName: string, familyName: string): Promise<Hired> {
  stack.faults.addRule({ service: 'iam', action: 'CreateUser', code: 'ServiceFailure', count: 100 });
  const hired = await hire(givenName, familyName, 'FAILED');
  stack.faults.clear();
  return hired;
}

/** CreateUser fails permanently: caught, NotifyOps, ends in OnboardingFailed. */
async function caughtHire(givenName: string, familyName: string): Promise<Hired> {
  stack.faults.addRule({ service: 'iam', action: 'CreateUser', code: 'LimitExceeded', count: 1 });
  return hire(givenName, familyName, 'FAILED');
}

/** Stopped while CreateUser is throttled: ABORTED. */
async function stoppedHire(givenName: string, familyName: string): Promise<Hired> {
  stack.faults.addRule({ service: 'iam', action: 'CreateUser', code: 'Throttling', count: 1000 });
  const hired = await hire(givenName, familyName);
  await stack.sfn.send(new StopExecutionCommand({ executionArn: hired.executionArn }));
  expect((await stack.settle(hired.executionArn)).status).toBe('ABORTED');
  stack.faults.clear();
  return hired;
}

const rows = () => page.locator('#executions tbody tr');
const rowOf = (hired: Hired) => page.locator(`#executions tbody tr[data-arn="${hired.executionArn}"]`);
const listState = () => page.locator('#list-state');
const consoleUrl = (path: string) => `${stack.urls.console}${path}`;

/** The execution ARNs listed, once the list shows exactly `count` rows. */
async function listed(count: number): Promise<string[]> {
  await page.locator(`#executions:not([hidden]) tbody tr:nth-child(${count})`).waitFor(SEEN);
  await page.locator(`#executions tbody tr:nth-child(${count + 1})`).waitFor({ state: 'detached', ...SEEN });
  return rows().evaluateAll((trs) => trs.map((tr) => String(tr.getAttribute('data-arn'))));
}

async function search(text: string): Promise<void> {
  await page.getByLabel('Search').fill(text);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
}

/** Holds every request to `path` until release(), then answers them all with `body`. */
async function holdApi(path: string, body: unknown) {
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  await page.route(`**${path}**`, async (route: Route) => {
    await released;
    await route.fulfill({ json: body });
  });
  return { release };
}

describe('ops console: list pages', () => {
  it.each([
    [
      '/',
      '/api/executions',
      { executions: [], scanned: 0 },
      'executions',
      'Loading executions…',
      'No executions yet. Send a hire (npm run demo) to start one.',
    ],
    [
      '/users',
      '/api/users',
      { users: [] },
      'users',
      'Loading users…',
      'No onboarded users yet: a hire that reaches CreateUser makes one.',
    ],
    ['/mailbox', '/api/mail', { emails: [] }, 'mail', 'Loading emails…', 'No emails yet.'],
  ])(
    '%s shows a loading state until its data arrives, then says when there is none',
    async (path, api, empty, table, loading, none) => {
      const held = await holdApi(api, empty);
      await page.goto(consoleUrl(path));

      await listState().filter({ hasText: loading }).waitFor(SEEN);
      expect(await listState().getAttribute('data-state')).toBe('loading');
      expect(await page.locator(`table#${table}`).isHidden()).toBe(true);
      if (path === '/') await docScreenshot(page, 'console-list-loading');

      held.release();

      await listState().filter({ hasText: none }).waitFor(SEEN);
      expect(await listState().getAttribute('data-state')).toBe('empty');
      expect(await page.locator(`table#${table}`).isHidden()).toBe(true);
      if (path === '/') await docScreenshot(page, 'console-list-empty');
    },
  );

  it('ends the loading state with the error when the data cannot be read', async () => {
    await page.route('**/api/users**', (route) =>
      route.fulfill({
        status: 500,
        json: { error: 'InternalError', message: 'The console failed; see its log' },
      }),
    );
    await page.goto(consoleUrl('/users'));

    await page.locator('#error', { hasText: 'InternalError' }).waitFor(SEEN);
    expect(await listState().isHidden()).toBe(true);
  });
});

describe('ops console: executions list', () => {
  it('finds executions by person name, employee id, HR eventId and IAM user name', async () => {
    const family = unique('Searchy');
    const ada = await hire('Ada', family, 'SUCCEEDED');
    const bob = await hire('Bob', family, 'SUCCEEDED');
    await page.goto(consoleUrl('/'));

    await search(`ada ${family}`);
    expect(await listed(1)).toEqual([ada.executionArn]);
    expect(page.url()).toBe(consoleUrl(`/?q=ada+${family}`));
    await search(bob.event.employee.id.toLowerCase());
    expect(await listed(1)).toEqual([bob.executionArn]);
    await search(ada.event.eventId.toUpperCase());
    expect(await listed(1)).toEqual([ada.executionArn]);
    await search(bob.userName);
    expect(await listed(1)).toEqual([bob.executionArn]);
    await search(family);
    expect(await listed(2)).toEqual([bob.executionArn, ada.executionArn]);
    expect(await page.locator('#page-info').textContent()).toMatch(/^Page 1 · 2 shown of \d+ searched$/);

    await search(`${family}-nobody`);
    await listState().filter({ hasText: 'No executions match these filters.' }).waitFor(SEEN);
    expect(await page.locator('#executions').isHidden()).toBe(true);
  });

  it('applies a search only when it is submitted, whatever auto-refresh does meanwhile', async () => {
    const family = unique('Typing');
    const hired = await hire('Nia', family, 'SUCCEEDED');
    await page.goto(consoleUrl(`/?q=${family}`));
    expect(await listed(1)).toEqual([hired.executionArn]);

    await page.getByLabel('Search').fill(`${family}-half-typed`);
    const poll = await page.waitForRequest((request) => request.url().includes('/api/executions'), SEEN);
    await poll.response();

    expect(new URL(poll.url()).searchParams.get('q')).toBe(family);
    expect(await listed(1)).toEqual([hired.executionArn]);
    expect(page.url()).toBe(consoleUrl(`/?q=${family}`));
  });

  it('filters by status and by the UTC day it started, kept in the URL', async () => {
    const family = unique('Filtery');
    const failed = await caughtHire('Cy', family);
    const succeeded = await hire('Di', family, 'SUCCEEDED');
    const today = new Date().toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + DAY_MS).toISOString().slice(0, 10);
    const yesterday = new Date(Date.now() - DAY_MS).toISOString().slice(0, 10);
    await page.goto(consoleUrl(`/?q=${family}`));
    expect(await listed(2)).toEqual([succeeded.executionArn, failed.executionArn]);

    await page.getByLabel('Status').selectOption('FAILED');
    expect(await listed(1)).toEqual([failed.executionArn]);
    await page.getByLabel('Status').selectOption('');
    await page.getByLabel('Started since (UTC)').fill(today);
    await page.getByLabel('until (UTC)').fill(today);
    expect(await listed(2)).toEqual([succeeded.executionArn, failed.executionArn]);
    expect(page.url()).toBe(consoleUrl(`/?q=${family}&since=${today}&until=${today}`));
    await page.getByLabel('Started since (UTC)').fill(tomorrow);
    await page.getByLabel('until (UTC)').fill(tomorrow);
    await listState().filter({ hasText: 'No executions match these filters.' }).waitFor(SEEN);
    await page.getByLabel('Started since (UTC)').fill(yesterday);
    await page.getByLabel('until (UTC)').fill(yesterday);
    await listState().filter({ hasText: 'No executions match these filters.' }).waitFor(SEEN);

    // A reload keeps every filter (the URL).
    await page.goto(consoleUrl(`/?q=${family}&status=SUCCEEDED&since=${today}`));
    expect(await listed(1)).toEqual([succeeded.executionArn]);
    expect(await page.getByLabel('Search').inputValue()).toBe(family);
    expect(await page.getByLabel('Status').inputValue()).toBe('SUCCEEDED');
    expect(await page.getByLabel('Started since (UTC)').inputValue()).toBe(today);
  });

  it('filters by exact start times through the API', async () => {
    const family = unique('Timey');
    const first = await hire('Ed', family, 'SUCCEEDED');
    const second = await hire('Flo', family, 'SUCCEEDED');
    const started = async (hired: Hired) =>
      (await stack.sfn.send(new DescribeExecutionCommand({ executionArn: hired.executionArn })))
        .startDate as Date;
    const between = new Date(((await started(first)).getTime() + (await started(second)).getTime()) / 2);
    const names = async (query: string) => {
      const answer = await fetch(consoleUrl(`/api/executions?q=${family}&${query}`));
      expect(answer.status).toBe(200);
      const body = (await answer.json()) as { executions: { executionArn: string }[] };
      return body.executions.map((execution) => execution.executionArn);
    };

    expect(await names(`since=${between.toISOString()}`)).toEqual([second.executionArn]);
    expect(await names(`until=${between.toISOString()}`)).toEqual([first.executionArn]);
    expect(await names(`until=${(await started(second)).toISOString()}`)).toEqual([
      second.executionArn,
      first.executionArn,
    ]);
  });

  it.each([
    [
      'since=yesterday',
      'since: "yesterday" is not a UTC day (2026-11-28) or an ISO 8601 time with a zone (2026-11-28T09:00:00Z)',
    ],
    ['until=2026-02-30', 'until: "2026-02-30" is not a UTC day'],
    ['since=2026-11-28T09:00:00', 'since: "2026-11-28T09:00:00" is not a UTC day'],
    ['limit=0', 'limit: "0" is not a whole number from 1 to 100'],
    ['limit=101', 'limit: "101" is not a whole number from 1 to 100'],
    ['limit=ten', 'limit: "ten" is not a whole number from 1 to 100'],
    ['status=DONE', 'status: "DONE" is not one of RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED'],
    ['since=2026-11-29&until=2026-11-28', 'since: it is after until'],
  ])('answers 400 with the reason for %s', async (query, message) => {
    const answer = await fetch(consoleUrl(`/api/executions?${query}`));

    expect(answer.status).toBe(400);
    const body = (await answer.json()) as { error: string; message: string };
    expect(body.error).toBe('ValidationException');
    expect(body.message).toContain(message);
  });

  it('shows a bad filter’s 400 on the page', async () => {
    await page.goto(consoleUrl('/?since=2026-11-29&until=2026-11-28'));

    await page.locator('#error', { hasText: 'since: it is after until' }).waitFor(SEEN);
    expect(await page.locator('#error').textContent()).toBe(
      'Could not load executions. ValidationException: since: it is after until',
    );
  });

  it('pages past 50 with Older and Newer (ListExecutions nextToken)', async () => {
    const family = unique('Pagey');
    // Permanent failures: the cheapest complete executions (CreateUser, NotifyOps, OnboardingFailed).
    stack.faults.addRule({ service: 'iam', action: 'CreateUser', code: 'LimitExceeded', count: 53 });
    const hires: Hired[] = [];
    for (let n = 0; n < 53; n += 1)
      hires.push(await hire(`P${'abcdefghijklmnopqrstuvwxyz'[n % 26]}${n}`, family));
    for (const hired of hires) expect((await stack.settle(hired.executionArn, 60_000)).status).toBe('FAILED');
    const newestFirst = hires.map((hired) => hired.executionArn).reverse();
    await page.goto(consoleUrl(`/?q=${family}`));

    const first = await listed(50);
    expect(await page.getByRole('button', { name: '← Newer' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Older →' }).click();
    const second = await listed(3);
    expect(await page.locator('#page-info').textContent()).toMatch(/^Page 2 · 3 shown of \d+ searched$/);
    expect(await page.getByRole('button', { name: 'Older →' }).isDisabled()).toBe(true);
    expect([...first, ...second]).toEqual(newestFirst);
    await docScreenshot(page, 'console-executions-page-2');
    await page.getByRole('button', { name: '← Newer' }).click();
    expect(await listed(50)).toEqual(first);

    // The API: each page's token is where the next one starts; the last page has none.
    type Answer = { executions: { executionArn: string }[]; nextToken: string | null; scanned: number };
    const get = async (query: string) =>
      (await (await fetch(consoleUrl(`/api/executions?q=${family}&${query}`))).json()) as Answer;
    const pages = [await get('limit=20')];
    for (let last = pages[0]; last?.nextToken; last = pages.at(-1)) {
      pages.push(await get(`limit=20&nextToken=${encodeURIComponent(last.nextToken)}`));
    }
    expect(pages.map((answer) => answer.executions.length)).toEqual([20, 20, 13]);
    expect(pages.flatMap((answer) => answer.executions.map((execution) => execution.executionArn))).toEqual(
      newestFirst,
    );
    expect(pages.at(-1)?.nextToken).toBeNull();
  }, 120_000);
});

describe('ops console: recovery, times and links in the executions list', () => {
  const recovery = (hired: Hired) => rowOf(hired).locator('td').nth(6).locator('.badge');

  it('badges each failed, timed-out or aborted execution with what a redrive would do, as its page does', async () => {
    const family = unique('Recovery');
    const failed = await failedHire('Gus', family);
    const caught = await caughtHire('Hal', family);
    const stopped = await stoppedHire('Ivy', family);
    const succeeded = await hire('Jo', family, 'SUCCEEDED');
    await page.goto(consoleUrl(`/?q=${family}`));
    await listed(4);

    expect(await recovery(failed).textContent()).toBe('↻ redrivable');
    expect(await recovery(failed).getAttribute('title')).toBe('a redrive resumes at CreateUser');
    expect(await recovery(stopped).textContent()).toBe('↻ redrivable');
    expect(await recovery(caught).textContent()).toBe('⊘ permanent');
    expect(await recovery(caught).getAttribute('title')).toBe(
      'failed permanently (IamLimitExceededError at CreateUser); a redrive would only run OnboardingFailed again',
    );
    expect(await recovery(succeeded).count()).toBe(0);
    await docScreenshot(page, 'console-executions');

    // The execution page applies the same rule to its Redrive button.
    const redriveOf = async (hired: Hired) => {
      await rowOf(hired).getByRole('link', { name: hired.person }).click();
      await page.locator('#steps tbody tr').first().waitFor(SEEN);
      const badge = await page.locator('#summary .recovery').textContent();
      const disabled = await page.getByRole('button', { name: 'Redrive' }).isDisabled();
      await page.goBack();
      await listed(4);
      return { badge, disabled };
    };
    expect(await redriveOf(failed)).toEqual({ badge: '↻ redrivable', disabled: false });
    expect(await redriveOf(caught)).toEqual({ badge: '⊘ permanent', disabled: true });
  });

  it('badges an execution whose 14-day redrive window has passed as not redrivable', async () => {
    // A stack of its own, restarted from a data folder whose failed execution stopped 15 days ago.
    const dataDir = mkdtempSync(join(tmpdir(), 'console-expired-'));
    let expired: TestStack | undefined;
    try {
      const before = await startTestStack({ dataDir, retryDelayScale: 0.1 });
      before.faults.addRule({ service: 'iam', action: 'CreateUser', code: 'ServiceFailure', count: 100 });
      const event = hireEvent({ employee: { givenName: 'Kim', familyName: unique('Expired') } });
      const executionArn = String((await before.postHire(event)).json.executionArn);
      expect((await before.settle(executionArn)).status).toBe('FAILED');
      await before.close();
      const journal = join(dataDir, 'stepfunctions.jsonl');
      const record = readFileSync(journal, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map(
          (line) => JSON.parse(line) as { c: string; k: string; v: { startDate: number; stopDate: number } },
        )
        .findLast((line) => line.c === 'executions' && line.k === executionArn);
      if (!record) throw new Error(`${executionArn} is not in ${journal}`);
      record.v.startDate -= 15 * DAY_MS;
      record.v.stopDate -= 15 * DAY_MS;
      appendFileSync(journal, `${JSON.stringify(record)}\n`);
      expired = await startTestStack({ dataDir });
      const row = page.locator(`#executions tbody tr[data-arn="${executionArn}"]`);

      await page.goto(`${expired.urls.console}/`);
      await row.waitFor(SEEN);

      const badge = row.locator('td').nth(6).locator('.badge');
      expect(await badge.textContent()).toBe('◷ not redrivable');
      expect(await badge.getAttribute('title')).toBe('Execution redrivable period exceeded');
      await row.getByRole('link').first().click();
      await page.locator('#steps tbody tr').first().waitFor(SEEN);
      expect(await page.locator('#summary .recovery').textContent()).toBe('◷ not redrivable');
      expect(await page.getByRole('button', { name: 'Redrive' }).isDisabled()).toBe(true);
      expect(await page.locator('#action-hint').textContent()).toBe('Execution redrivable period exceeded');
      await docScreenshot(page, 'console-not-redrivable');
    } finally {
      await expired?.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('shows every time in UTC exactly as the CLI prints it', async () => {
    const hired = await hire('Lou', unique('Clock'), 'SUCCEEDED');
    const { startDate } = await stack.sfn.send(
      new DescribeExecutionCommand({ executionArn: hired.executionArn }),
    );
    await page.goto(consoleUrl(`/?q=${hired.userName}`));
    await listed(1);

    const started = rowOf(hired).locator('td').nth(3).locator('time');
    expect(await started.textContent()).toBe(formatDate(startDate));
    expect(await started.getAttribute('title')).toBe('UTC');
    expect(await page.locator('#executions thead th').nth(3).textContent()).toBe('Started (UTC)');
    // common.js's formatter against the CLI's, over dates that differ between zones and formats.
    const dates = ['2026-01-01T00:00:00.000Z', '2026-06-30T23:59:59.999Z', '2026-11-28T09:00:41.120Z'];
    const shown = await page.evaluate(
      `import('/static/common.js').then(({ formatTime }) =>
        ${JSON.stringify(dates)}.map((iso) => formatTime(iso).textContent))`,
    );
    expect(shown).toEqual(dates.map((iso) => formatDate(new Date(iso))));
  });

  it('links each IAM user name to its user page', async () => {
    const hired = await hire('Max', unique('Linky'), 'SUCCEEDED');
    await page.goto(consoleUrl(`/?q=${hired.userName}`));
    await listed(1);

    await rowOf(hired).getByRole('link', { name: hired.userName }).click();

    await page.locator('#summary').getByText(`user/onboarded/${hired.userName}`).waitFor(SEEN);
    expect(page.url()).toBe(consoleUrl(`/users/${hired.userName}`));
  });
});
