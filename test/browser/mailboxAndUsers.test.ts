import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { Browser, Page } from 'playwright-core';
import { type Email, hireEvent, startTestStack, type TestStack } from '../e2e/support/testStack';
import { docScreenshot, launchChromium } from './support/browser';

const SEEN = { timeout: 10_000 };
const ACCOUNT = '000000000000';

let stack: TestStack;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launchChromium();
  // Retry waits at a tenth of their real length: a throttled step stays RUNNING for a while.
  stack = await startTestStack({ consolePort: 0, retryDelayScale: 0.1 });
});

// Every test arranges its own hires and emails on a page of its own: any one runs alone or in any order.
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

/** A unique surname (letters only: it becomes part of the user name). */
function surname(base: string): string {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const tail = Array.from({ length: 6 }, () => letters[Math.floor(Math.random() * 26)]).join('');
  return `${base}${tail}`;
}

type Hired = {
  executionArn: string;
  userName: string;
  person: string;
  event: ReturnType<typeof hireEvent>;
};

/** Posts a hire and waits until it ends with `status`. */
async function hire(
  givenName: string,
  familyBase: string,
  status: string | undefined,
  employee: Record<string, unknown> = {},
): Promise<Hired> {
  const familyName = surname(familyBase);
  const event = hireEvent({ employee: { givenName, familyName, ...employee } });
  const { status: answer, json } = await stack.postHire(event);
  expect(answer).toBe(202);
  const executionArn = String(json.executionArn);
  if (status) expect((await stack.settle(executionArn)).status).toBe(status);
  return {
    executionArn,
    userName: `${givenName}.${familyName}`.toLowerCase(),
    person: `${givenName} ${familyName}`,
    event,
  };
}

/** A hire whose welcome email SES rejects: the user exists, NotifyOps alerts, no one is notified. */
async function halfOnboardedHire(givenName: string, familyBase: string): Promise<Hired> {
  stack.faults.addRule({ service: 'ses', action: 'SendEmail', code: 'MessageRejected', count: 1 });
  const hired = await hire(givenName, familyBase, 'FAILED');
  stack.faults.clear();
  return hired;
}

async function onlyEmailTo(address: string): Promise<Email> {
  const emails = await stack.emailsTo(address);
  expect(emails).toHaveLength(1);
  return emails[0] as Email;
}

async function opsAlertFor(person: string): Promise<Email> {
  const alerts = await stack.emailsTo('ops@example.com');
  const alert = alerts.find((email) => email.subject.includes(person));
  expect(alert).toBeDefined();
  return alert as Email;
}

const mailRow = (messageId: string) => page.locator(`#mail tbody tr[data-message-id="${messageId}"]`);
const summaryValue = (label: string) => page.locator(`#summary dt:text-is("${label}") + dd`);
const userRow = (userName: string) => page.locator(`#users tbody tr#user-${userName.replace(/\./g, '\\.')}`);
const consoleUrl = (path: string) => `${stack.urls.console}${path}`;

describe('ops console: mailbox', () => {
  it('lists every email newest first with its recipient, subject and user, and says it is local only', async () => {
    const hired = await hire('Hedy', 'Lamarr', 'SUCCEEDED');
    const welcome = await onlyEmailTo(hired.event.employee.workEmail);
    const password = await onlyEmailTo(hired.event.employee.managerEmail);

    await page.goto(consoleUrl('/users'));
    await page.getByRole('link', { name: 'Mailbox' }).click();
    await mailRow(password.messageId).waitFor(SEEN);

    expect(page.url()).toBe(consoleUrl('/mailbox'));
    const ids = await page
      .locator('#mail tbody tr')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-message-id')));
    expect(ids.indexOf(password.messageId)).toBeLessThan(ids.indexOf(welcome.messageId));
    const cells = await mailRow(password.messageId).locator('td').allTextContents();
    expect(cells.slice(1)).toEqual([
      hired.event.employee.managerEmail,
      `Temporary AWS console password for ${hired.userName}`,
      hired.userName,
    ]);
    expect(await mailRow(welcome.messageId).locator('td').nth(2).textContent()).toBe(
      'Your AWS console access',
    );
    expect(await page.locator('#local-only').textContent()).toContain('loopback only');
    expect(await page.locator('#local-only').textContent()).toContain('temporary passwords included');
    await docScreenshot(page, 'console-mailbox');
  });

  it('finds emails by recipient, by subject and by text', async () => {
    const onboarded = await hire('Radia', 'Perlman', 'SUCCEEDED');
    const failed = await halfOnboardedHire('Katherine', 'Johnson');
    const welcome = await onlyEmailTo(onboarded.event.employee.workEmail);
    const password = await onlyEmailTo(onboarded.event.employee.managerEmail);
    const alert = await opsAlertFor(failed.person);
    await page.goto(consoleUrl('/mailbox'));
    await mailRow(welcome.messageId).waitFor(SEEN);
    const search = async (query: string) => {
      await page.getByLabel('Search').fill(query);
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await page.waitForFunction("document.querySelectorAll('#mail tbody tr').length === 1", undefined, SEEN);
      return page.locator('#mail tbody tr').evaluateAll((rows) => rows.map((row) => row.dataset.messageId));
    };

    // The recipient: the work address gets the welcome email only.
    expect(await search(onboarded.event.employee.workEmail.toUpperCase())).toEqual([welcome.messageId]);
    // The subject: only the password email's subject names the user after "password for".
    expect(await search(`password for ${onboarded.userName}`)).toEqual([password.messageId]);
    // The text: the HR event id is in the ops alert's text, in no subject.
    expect(await search(failed.event.eventId)).toEqual([alert.messageId]);
    expect(page.url()).toBe(consoleUrl(`/mailbox?q=${failed.event.eventId}`));

    await page.getByLabel('Search').fill('no-such-text-in-any-email');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page
      .locator('#list-state', { hasText: 'No email matches “no-such-text-in-any-email”.' })
      .waitFor(SEEN);
    expect(await page.locator('#mail').isHidden()).toBe(true);
  });

  it('shows the whole password email: both parts, the execution that sent it and the user', async () => {
    const hired = await hire('Annie', 'Easley', 'SUCCEEDED');
    const email = await onlyEmailTo(hired.event.employee.managerEmail);
    const password = /Temporary password:\s*(\S+)/.exec(email.body.text ?? '')?.[1];
    expect(password).toMatch(/^\S{20,}$/);

    await page.goto(consoleUrl('/mailbox'));
    await mailRow(email.messageId)
      .getByRole('link', { name: `Temporary AWS console password for ${hired.userName}` })
      .click();
    await page.locator('#text').waitFor(SEEN);

    expect(await page.locator('h1').textContent()).toBe(
      `Temporary AWS console password for ${hired.userName}`,
    );
    expect(await summaryValue('To').textContent()).toBe(hired.event.employee.managerEmail);
    expect(await summaryValue('From').textContent()).toBe('onboarding@example.com');
    expect(await page.locator('#text').textContent()).toBe(
      [
        `User name:          ${hired.userName}`,
        `Temporary password: ${password}`,
        '',
        'It must be changed at first sign-in. The sign-in URL was sent separately to the work address.',
      ].join('\n'),
    );
    expect(await page.locator('#html-part').textContent()).toBe('This email has no HTML part.');
    expect(await page.locator('#local-only').isVisible()).toBe(true);
    const execution = summaryValue('Execution').getByRole('link');
    expect(await execution.getAttribute('href')).toBe(
      `/executions/${encodeURIComponent(hired.executionArn)}`,
    );
    await summaryValue('User').getByRole('link', { name: hired.userName }).click();
    await page
      .locator('#summary')
      .getByText(`arn:aws:iam::${ACCOUNT}:user/onboarded/${hired.userName}`)
      .waitFor(SEEN);
  });

  it('renders an HTML part in a sandbox where its scripts never run, and shows its source', async () => {
    const to = `html.${Date.now()}@example.com`;
    const html =
      '<h1 id="greeting">Hello in HTML</h1><script>document.body.dataset.ran = "yes"; parent.document.title = "pwned";</script>';
    const ses = new SESv2Client(stack.clientConfig);
    await ses.send(
      new SendEmailCommand({
        FromEmailAddress: 'onboarding@example.com',
        Destination: { ToAddresses: [to] },
        Content: {
          Simple: {
            Subject: { Data: 'Both parts' },
            Body: { Text: { Data: 'Hello in text' }, Html: { Data: html } },
          },
        },
      }),
    );
    ses.destroy();
    const email = await onlyEmailTo(to);

    await page.goto(consoleUrl(`/mailbox/${encodeURIComponent(email.messageId)}`));
    await page.locator('#text').waitFor(SEEN);

    expect(await page.locator('#text').textContent()).toBe('Hello in text');
    const frame = page.locator('iframe#html-frame');
    expect(await frame.getAttribute('sandbox')).toBe('');
    const greeting = page.frameLocator('iframe#html-frame').locator('#greeting');
    expect(await greeting.textContent(SEEN)).toBe('Hello in HTML');
    expect(await page.frameLocator('iframe#html-frame').locator('body').getAttribute('data-ran')).toBeNull();
    expect(await page.title()).toBe('Both parts · iam-onboarding ops console');
    expect(await page.locator('#html-source').textContent()).toBe(html);
    expect(await summaryValue('Execution').textContent()).toBe('none found');
    await docScreenshot(page, 'console-message');
  });

  it('links an ops alert to its execution and to the user it created', async () => {
    const failed = await halfOnboardedHire('Mary', 'Jackson');
    const alert = await opsAlertFor(failed.person);

    await page.goto(consoleUrl(`/mailbox/${encodeURIComponent(alert.messageId)}`));
    await page.locator('#text').waitFor(SEEN);

    expect(await page.locator('#text').textContent()).toContain(`HR event: ${failed.event.eventId}`);
    expect(await summaryValue('User').getByRole('link').getAttribute('href')).toBe(
      `/users/${failed.userName}`,
    );
    await summaryValue('Execution').getByRole('link').click();
    await page.locator('#steps tbody tr').first().waitFor(SEEN);
    expect(page.url()).toBe(consoleUrl(`/executions/${encodeURIComponent(failed.executionArn)}`));
  });
});

describe('ops console: users', () => {
  it('shows each user with the person and a state: active, onboarding (emails not out yet), failed', async () => {
    const active = await hire('Frances', 'Spence', 'SUCCEEDED');
    const half = await halfOnboardedHire('Jean', 'Bartik');
    // NotifyUser's first call is throttled again and again: the onboarding stays RUNNING there.
    stack.faults.addRule({ service: 'iam', action: 'ListAccountAliases', code: 'Throttling', count: 1000 });
    const running = await hire('Betty', 'Holberton', undefined);

    await page.goto(consoleUrl('/users'));
    await userRow(running.userName).waitFor(SEEN);

    const state = async (hired: Hired) => {
      const row = userRow(hired.userName);
      const cells = await row.locator('td').allTextContents();
      const badge = row.locator('td').nth(1).locator('.badge');
      return {
        person: cells[0],
        state: await badge.textContent(),
        reason: await badge.getAttribute('title'),
      };
    };
    expect(await state(active)).toEqual({
      person: active.person,
      state: '✓ active',
      reason: 'onboarded: both emails sent',
    });
    expect(await state(half)).toEqual({
      person: half.person,
      state: '✗ failed',
      reason: 'its last execution failed at NotifyUser',
    });
    expect(await state(running)).toEqual({
      person: running.person,
      state: '● onboarding',
      reason: 'its onboarding is running; the emails have not been sent yet',
    });
    await docScreenshot(page, 'console-users');
    await userRow(active.userName).locator('th a').click();
    await page.locator('#summary').waitFor(SEEN);
    expect(page.url()).toBe(consoleUrl(`/users/${active.userName}`));
    // Let the throttled onboarding finish, so that its emails land in no other test's fault.
    stack.faults.clear();
    expect((await stack.settle(running.executionArn, 30_000)).status).toBe('SUCCEEDED');
  });

  it('shows what `users show` prints, the state, and every execution that touched the user, newest first', async () => {
    const first = await hire('Evelyn', 'Boyd', 'SUCCEEDED');
    // HR sends the hire again with a new event id: CreateUser refuses to re-onboard a notified user
    // (permanent), so this execution names no user: it is matched by the employeeId tag.
    const again = await hire('Evelyn', 'Boyd', 'FAILED', {
      id: first.event.employee.id,
      familyName: first.person.split(' ')[1],
      workEmail: first.event.employee.workEmail,
    });

    await page.goto(consoleUrl(`/users/${first.userName}`));
    await page.locator('#execution-table tbody tr').first().waitFor(SEEN);

    expect(await page.locator('h1').textContent()).toBe(first.userName);
    expect(await page.locator('#state .badge').textContent()).toBe('✓ active');
    expect(await page.locator('#state-reason').textContent()).toBe(
      'onboarded: both emails sent; its last execution failed at CreateUser',
    );
    const summary = Object.fromEntries(
      await page
        .locator('#summary dt')
        .evaluateAll((terms) =>
          terms.map((term) => [term.textContent, term.nextElementSibling?.textContent]),
        ),
    );
    expect(summary).toMatchObject({
      Person: first.person,
      'User name': first.userName,
      ARN: `arn:aws:iam::${ACCOUNT}:user/onboarded/${first.userName}`,
      Path: '/onboarded/',
      'Permissions boundary': `arn:aws:iam::${ACCOUNT}:policy/iam-onboarding-boundary`,
      'Console last sign-in': 'never',
    });
    expect(summary['Console access']).toMatch(
      /^enabled since \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ, password reset pending$/,
    );
    expect(summary.Created).not.toBe('');
    const rows = (id: string) =>
      page
        .locator(`#${id} tbody tr`)
        .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    expect(await page.locator('#groups h2').textContent()).toBe('Groups (1)');
    expect(await rows('group-table')).toEqual([
      ['Developers', 'AmazonEC2FullAccess, AmazonS3ReadOnlyAccess'],
    ]);
    expect(await page.locator('#policies h2').textContent()).toBe('Policies attached directly (1)');
    expect(await rows('policy-table')).toEqual([
      ['iam-onboarding-self-service', `arn:aws:iam::${ACCOUNT}:policy/iam-onboarding-self-service`],
    ]);
    expect(await page.locator('#tags h2').textContent()).toBe('Tags (7)');
    expect(await rows('tag-table')).toEqual(
      expect.arrayContaining([
        ['employeeId', first.event.employee.id],
        ['eventId', first.event.eventId],
        ['department', 'Engineering'],
        ['managedBy', 'iam-onboarding'],
        ['onboarding:notified', first.event.eventId],
      ]),
    );
    expect(await page.locator('#executions h2').textContent()).toBe('Executions that touched this user (2)');
    const executions = await rows('execution-table');
    expect(executions.map((cells) => [cells[0], cells[1], cells[3]])).toEqual([
      [again.executionArn.split(':').at(-1), '✗ FAILED', 'CreateUser'],
      [first.executionArn.split(':').at(-1), '✓ SUCCEEDED', ''],
    ]);
    const link = page.locator('#execution-table tbody tr').first().getByRole('link');
    expect(await link.getAttribute('href')).toBe(`/executions/${encodeURIComponent(again.executionArn)}`);
    await docScreenshot(page, 'console-user');
  });

  it('answers IAM’s NoSuchEntity on the page of a user that does not exist', async () => {
    await page.goto(consoleUrl('/users/no.such.user'));

    await page.locator('#error').waitFor(SEEN);
    expect(await page.locator('#error').textContent()).toBe(
      'Could not load the user. NoSuchEntityException: The user with name no.such.user cannot be found.',
    );
  });
});
