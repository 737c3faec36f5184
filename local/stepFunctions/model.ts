/** What the emulator stores, in the JournalStore, per state machine and per execution. */
export type StateMachineRecord = {
  stateMachineArn: string;
  name: string;
  definition: string;
  roleArn: string;
  /** Epoch milliseconds, like every date stored here. */
  creationDate: number;
};

export const EXECUTION_STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

export type ExecutionRecord = {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  input: string;
  /** The definition the execution started with: a redrive runs it again, as AWS does. */
  definition: string;
  roleArn: string;
  startDate: number;
  stopDate?: number;
  output?: string;
  error?: string;
  cause?: string;
  redriveCount: number;
  redriveDate?: number;
  redriveClientToken?: string;
};

/** A GetExecutionHistory event as sent on the wire: id, previousEventId, timestamp, type, details. */
export type HistoryEvent = {
  id: number;
  previousEventId: number;
  /** Epoch seconds. */
  timestamp: number;
  type: string;
  [details: string]: unknown;
};

/** Name rule for state machines and executions (AWS: 1-80 characters, CloudWatch-safe). */
export const NAME_PATTERN = /^[0-9A-Za-z_-]{1,80}$/;

/** Builds and reads the ARNs of one account and region. */
export class Arns {
  private readonly prefix: string;

  constructor(region: string, accountId: string) {
    this.prefix = `arn:aws:states:${region}:${accountId}:`;
  }

  stateMachine(name: string): string {
    return `${this.prefix}stateMachine:${name}`;
  }

  execution(stateMachineName: string, name: string): string {
    return `${this.prefix}execution:${stateMachineName}:${name}`;
  }

  /** True when `arn` is shaped like a state machine ARN, of any account or region. */
  static isStateMachineArn(arn: string): boolean {
    return /^arn:aws[\w-]*:states:[^:]+:[^:]+:stateMachine:[^:]+$/.test(arn);
  }

  static isExecutionArn(arn: string): boolean {
    return /^arn:aws[\w-]*:states:[^:]+:[^:]+:execution:[^:]+:[^:]+$/.test(arn);
  }

  static stateMachineName(arn: string): string {
    return arn.slice(arn.lastIndexOf(':') + 1);
  }
}
