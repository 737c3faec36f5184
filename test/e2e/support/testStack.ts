import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IAMClient } from '@aws-sdk/client-iam';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  SFNClient,
} from '@aws-sdk/client-sfn';
import { EVENTS_PATH, getEventStatus, HIRES_PATH, sendHrEvent } from '../../../cli/hrEventSender';
import { type Stack, type StackOptions, startStack } from '../../../local/stack';

export type Email = {
  messageId: string;
  destination: { to: string[] };
  subject: string;
  body: { text?: string; html?: string };
  at: number;
};

/** The local stack on free ports with a fresh data folder, plus SDK clients and helpers for tests. */
export type TestStack = Stack & {
  dataDir: string;
  iam: IAMClient;
  sfn: SFNClient;
  secrets: SecretsManagerClient;
  /** Signs `body` with the stack's webhook secret and posts it to /hires. */
  postHire(
    body: string | object,
    headers?: Record<string, string>,
  ): Promise<{ status: number; json: Record<string, unknown> }>;
  /** The same to /events, which takes every event type. */
  postEvent(body: string | object): Promise<{ status: number; json: Record<string, unknown> }>;
  /** GET /events/{eventId}, signed with the stack's webhook secret (over `signedPath` when given). */
  getStatus(
    eventId: string,
    options?: { signedPath?: string },
  ): Promise<{ status: number; json: Record<string, unknown> }>;
  /** Polls GET /events/{eventId} until its status is not `running`. */
  settleStatus(eventId: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Polls until the execution leaves RUNNING. */
  settle(executionArn: string, timeoutMs?: number): Promise<DescribeExecutionCommandOutput>;
  /** Emails in the SES mailbox sent to `address` (the mailbox is shared by every stack in the process). */
  emailsTo(address: string): Promise<Email[]>;
  /** Stops the stack and deletes its data folder. */
  close(): Promise<void>;
};

export async function startTestStack(options: StackOptions = {}): Promise<TestStack> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'iam-onboarding-e2e-'));
  const stack = await startStack({
    awsPort: 0,
    webhookPort: 0,
    sesPort: 0,
    consolePort: 0,
    retryDelayScale: 0.001,
    scheduleScale: 0, // schedules run when a test calls runSchedule(), never on a timer
    functionEnvironment: { POWERTOOLS_LOG_LEVEL: 'WARN' },
    ...options,
    dataDir,
  });
  const clientOptions = { ...stack.clientConfig, maxAttempts: 1 };
  const iam = new IAMClient(clientOptions);
  const sfn = new SFNClient(clientOptions);
  const secrets = new SecretsManagerClient(clientOptions);

  async function post(path: string, body: string | object, headers: Record<string, string>) {
    const raw = typeof body === 'string' ? body : JSON.stringify(body);
    const answer = await sendHrEvent({
      url: stack.urls.webhook,
      path,
      body: raw,
      secret: stack.webhookSecret,
      headers,
    });
    if (typeof answer.json !== 'object' || answer.json === null) {
      throw new Error(`The webhook answered ${answer.status} without a JSON object: ${answer.text}`);
    }
    return { status: answer.status, json: answer.json as Record<string, unknown> };
  }

  async function getStatus(eventId: string, options: { signedPath?: string } = {}) {
    const answer = await getEventStatus({
      url: stack.urls.webhook,
      eventId,
      secret: stack.webhookSecret,
      ...options,
    });
    if (typeof answer.json !== 'object' || answer.json === null) {
      throw new Error(`GET /events answered ${answer.status} without a JSON object: ${answer.text}`);
    }
    return { status: answer.status, json: answer.json as Record<string, unknown> };
  }

  return {
    ...stack,
    dataDir,
    getStatus,
    async settleStatus(eventId, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const { status, json } = await getStatus(eventId);
        if (status !== 200) throw new Error(`GET /events answered ${status}: ${JSON.stringify(json)}`);
        if (json.status !== 'running') return json;
        if (Date.now() > deadline) throw new Error(`${eventId} still running after ${timeoutMs} ms`);
        await new Promise((wait) => setTimeout(wait, 20));
      }
    },
    iam,
    sfn,
    secrets,
    postHire: (body, headers = {}) => post(HIRES_PATH, body, headers),
    postEvent: (body) => post(EVENTS_PATH, body, {}),
    async settle(executionArn, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
        if (execution.status !== 'RUNNING') return execution;
        if (Date.now() > deadline) throw new Error(`${executionArn} still RUNNING after ${timeoutMs} ms`);
        await new Promise((wait) => setTimeout(wait, 20));
      }
    },
    async emailsTo(address) {
      const response = await fetch(`${stack.urls.ses}/store`);
      const { emails } = (await response.json()) as { emails: Email[] };
      return emails.filter((email) => email.destination.to.includes(address));
    },
    async close() {
      await stack.whenIdle();
      await stack.stop();
      iam.destroy();
      sfn.destroy();
      secrets.destroy();
      if (options.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A valid employee.hired event with unique ids, for tests that must not collide with each other. */
export function hireEvent(overrides: { employee?: Record<string, unknown>; eventId?: string } = {}) {
  const n = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  return {
    eventId: overrides.eventId ?? `evt-${n}`,
    type: 'employee.hired',
    occurredAt: '2026-11-28T09:00:00Z',
    employee: {
      id: `E${n}`,
      givenName: 'Ada',
      familyName: `Lovelace${n.replace(/\d/g, '')}`,
      workEmail: `ada.${n}@example.com`,
      department: 'Engineering',
      managerEmail: `manager.${n}@example.com`,
      ...overrides.employee,
    },
  };
}
