import type { ExecutionIndex } from './executionIndex';
import type { ExecutionRef } from './userLifecycle';

/** An email as aws-ses-v2-local's `GET /store` returns it (`at` in Unix seconds). */
export type StoredEmail = {
  messageId: string;
  from: string;
  destination: { to: string[]; cc?: string[]; bcc?: string[] };
  subject: string;
  body: { text?: string; html?: string };
  at: number;
};

/** A row of the mailbox list. */
export type MailSummary = {
  messageId: string;
  from: string;
  to: string[];
  subject: string;
  at: string;
  /** The IAM user the email names, when it names one. */
  userName?: string;
};

/** The full message: both parts as sent, and what it links to. */
export type MailMessage = MailSummary & {
  cc: string[];
  bcc: string[];
  text?: string;
  html?: string;
  executionArn?: string;
};

/** What an email's text says about who and what it concerns. */
export type MailReferences = { userName?: string; executionArn?: string };

const USER_NAME_LINES = [
  /^User name:\s+(\S+)\s*$/m, // the welcome and the password emails
  /^Temporary password of (\S+) revoked:/m, // the revocation alert
];
const EXECUTION_LINE = /^Execution:\s+(\S+)\s*$/m; // the ops alerts
const EXECUTION_LINKS = [
  /\/executions\/([^/?#\s]+)$/, // the ops console: <CONSOLE_URL>/executions/<encoded ARN>
  /#\/v2\/executions\/details\/(arn:[^?#\s]+)$/, // the Step Functions console
];

/**
 * The user and the execution an email names: the `User name:` line (welcome and password emails)
 * or a revoked password's user (revocation alert); the `Execution:` link (ops alerts), whether to
 * this console or to the Step Functions console.
 */
export function mailReferences(text: string | undefined): MailReferences {
  const body = text ?? '';
  const userName = USER_NAME_LINES.map((line) => line.exec(body)?.[1]).find(Boolean);
  const link = EXECUTION_LINE.exec(body)?.[1];
  const encoded = link && EXECUTION_LINKS.map((pattern) => pattern.exec(link)?.[1]).find(Boolean);
  return { userName, executionArn: encoded ? decoded(encoded) : undefined };
}

/**
 * The execution that sent an email and the user it concerns. A linked execution is that one, and
 * its user the one it names; an email that names only a user was sent by the newest execution that
 * made that user and had started by the email's time (`at`, Unix seconds).
 */
export function linkEmail(
  references: MailReferences,
  at: number,
  executions: readonly ExecutionRef[],
): MailReferences {
  if (references.executionArn) {
    const execution = executions.find((candidate) => candidate.executionArn === references.executionArn);
    return { executionArn: references.executionArn, userName: references.userName ?? execution?.userName };
  }
  if (!references.userName) return {};
  const sentBy = (at + 1) * 1000; // `at` is rounded down to the second
  const sender = executions
    .filter((execution) => execution.userName === references.userName && execution.startDate)
    .filter((execution) => Date.parse(String(execution.startDate)) <= sentBy)
    .sort((a, b) => String(b.startDate).localeCompare(String(a.startDate)))[0];
  return { userName: references.userName, executionArn: sender?.executionArn };
}

/** Whether `query` (any case) is in a recipient, the subject or the text of the email. */
export function matches(email: StoredEmail, query: string): boolean {
  const needle = query.trim().toLowerCase();
  if (!needle) return true;
  const { to, cc = [], bcc = [] } = email.destination;
  return [...to, ...cc, ...bcc, email.subject, email.body.text ?? ''].some((field) =>
    field.toLowerCase().includes(needle),
  );
}

/** The emails of the SES emulator's store (`<mailboxUrl>/store`), newest first, and each in full. */
export class Mailbox {
  constructor(
    private readonly mailboxUrl: string,
    private readonly executions: ExecutionIndex,
  ) {}

  async list(query: string): Promise<MailSummary[]> {
    const emails = await this.store();
    return emails.filter((email) => matches(email, query)).map(summaryOf);
  }

  /** The message, or undefined when the store has none with that id. */
  async message(messageId: string): Promise<MailMessage | undefined> {
    const email = (await this.store()).find((candidate) => candidate.messageId === messageId);
    if (!email) return undefined;
    const links = linkEmail(mailReferences(email.body.text), email.at, await this.executions.all());
    return {
      ...summaryOf(email),
      cc: email.destination.cc ?? [],
      bcc: email.destination.bcc ?? [],
      text: email.body.text,
      html: email.body.html,
      userName: links.userName,
      executionArn: links.executionArn,
    };
  }

  private async store(): Promise<StoredEmail[]> {
    const response = await fetch(`${this.mailboxUrl.replace(/\/+$/, '')}/store`);
    if (!response.ok) throw new Error(`The SES mailbox answered ${response.status} to GET /store`);
    const { emails = [] } = (await response.json()) as { emails?: StoredEmail[] };
    // The store keeps sending order (`at` has only seconds): newest first is that order reversed.
    return emails.toReversed();
  }
}

function summaryOf(email: StoredEmail): MailSummary {
  return {
    messageId: email.messageId,
    from: email.from,
    to: email.destination.to,
    subject: email.subject,
    at: new Date(email.at * 1000).toISOString(),
    userName: mailReferences(email.body.text).userName,
  };
}

function decoded(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
