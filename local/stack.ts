import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { CreatePolicyCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  CreateSecretCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { ADMIN_CREDENTIALS, adminPrincipal } from './authz/admin';
import {
  type AuthorizationRequest,
  Authorizer,
  type IamMode,
  type PolicyStreamEntry,
} from './authz/authorizer';
import { type Credentials, type Principal, Principals, type Role } from './authz/principals';
import { rolesOf } from './authz/serverlessRoles';
import { createAwsEndpoint, json } from './aws/endpoint';
import { deniedError } from './aws/serviceErrors';
import { EMULATED_SERVICES, SERVICE_PROTOCOLS } from './aws/services';
import { AwsError, type AwsResponse, type UnauthenticatedRequest } from './aws/types';
import { createConsoleServer } from './console/server';
import { createDynamoDbService } from './dynamodb/dynamodbService';
import { provisionTables } from './dynamodb/provisioning';
import { dynamoDbOperation, runDynamoDbTask } from './dynamodb/stepFunctionsIntegration';
import { LocalEventBus } from './eventBridge/eventBus';
import { FaultConfigurationError, Faults } from './faults';
import { crossSiteRequest } from './http';
import { createHttpApi } from './httpApi';
import { createIamService } from './iam/iamService';
import { createLambdaService } from './lambda/lambdaService';
import {
  createLambdaRuntime,
  type FunctionLogLine,
  LambdaFunctionError,
  type LambdaRuntime,
} from './lambdaRuntime';
import { createSecretsManagerService } from './secretsManager/secretsManagerService';
import {
  type FunctionConfig,
  type IntrinsicValues,
  loadServiceConfig,
  resolveIntrinsics,
} from './serverlessConfig';
import { startMailbox } from './ses/mailbox';
import { createSesProxy } from './ses/sesService';
import { executionStatusChangeEvent } from './stepFunctions/statusChangeEvents';
import {
  createStepFunctionsEmulator,
  type StepFunctionsEmulator,
  WaitNotEndedError,
} from './stepFunctions/stepFunctionsService';
import { JournalStore } from './store';
import { createStsService } from './sts/stsService';

export const LOCAL_ACCOUNT_ID = '000000000000';
export const LOCAL_REGION = 'us-east-1';
export { ADMIN_CREDENTIALS } from './authz/admin';

export type StackOptions = {
  /** Project root holding serverless.yml (default: this checkout). */
  root?: string;
  /** Where state survives restarts; undefined keeps everything in memory. */
  dataDir?: string;
  /** Delete the data folder before starting. */
  reset?: boolean;
  host?: string;
  awsPort?: number;
  webhookPort?: number;
  sesPort?: number;
  /** The ops console (web). */
  consolePort?: number;
  /** Multiplies every Retry wait of the state machines (tests use a small value). */
  retryDelayScale?: number;
  /** The webhook's local signing secret. */
  webhookSecret?: string;
  /** Overrides for the functions' environment from serverless.yml (e.g. POWERTOOLS_LOG_LEVEL). */
  functionEnvironment?: Record<string, string>;
  /**
   * Where every line the functions write goes (`npm start` formats and filters them); default: this
   * process's stdout and stderr, as written.
   */
  log?: (line: FunctionLogLine) => void;
  /** `enforce` (default) refuses what the callers' IAM policies do not allow; `soft` logs and allows. */
  iam?: IamMode;
  /** Edits the roles of serverless.yml before they are enforced (tests remove statements). */
  editRoles?: (roles: Map<string, Role>) => void;
  /** Sees every request the AWS endpoint routes to an emulated service, before the service does. */
  observe?: (service: string, request: UnauthenticatedRequest) => void;
  /**
   * Multiplies the interval of every `schedule` event of serverless.yml (default 1: `rate(1 hour)`
   * runs hourly); 0 runs them only when runSchedule() is called (tests).
   */
  scheduleScale?: number;
  /** Edits each state machine's definition before it is registered (tests shorten TimeoutSeconds). */
  editStateMachine?: (definition: Record<string, unknown>) => void;
};

export type Stack = {
  urls: { aws: string; webhook: string; ses: string; console: string };
  webhookSecret: string;
  /** The onboarding workflow's state machine. */
  stateMachineArn: string;
  /** Every workflow's state machine, by its key in serverless.yml (onboarding, mover, leaver). */
  stateMachineArns: Record<string, string>;
  /** SDK client settings that reach this stack. */
  clientConfig: { endpoint: string; region: string; credentials: typeof ADMIN_CREDENTIALS };
  /** Environment variables that point the aws CLI or any SDK at this stack. */
  environment: Record<string, string>;
  /**
   * What the start banner exports for a shell: the aws CLI's variables as the ops admin, CONSOLE_URL
   * (the CLI links executions to the local console) and ONBOARDING_WEBHOOK_SECRET (for `hire`).
   */
  shellEnvironment: Record<string, string>;
  faults: Faults;
  /** Per principal, the actions its calls used, the granted ones never used, and every denial. */
  policyStream(): Promise<PolicyStreamEntry[]>;
  /** Starts a new policy stream. */
  resetPolicyStream(): void;
  /** The temporary credentials of a function's role session, as Lambda hands them to it. */
  functionCredentials(functionKey: string): Credentials;
  /** Discards every function's container, as Lambda recycles them: the next invocations cold-start. */
  recycleFunctions(): Promise<void>;
  /**
   * Invokes a function's `schedule` event now, as EventBridge would (`time`: the scheduled time),
   * and answers what the function returned.
   */
  runSchedule(functionKey: string, time?: Date): Promise<unknown>;
  /**
   * Ends the Wait a running execution is in now, as if its time had come (POST
   * /_local/executions/end-wait): the local stand-in for a clock. Answers the Wait's name.
   */
  endWait(executionArn: string): Promise<string>;
  /** Resolves once no execution runs and every event sent to the functions was handled. */
  whenIdle(): Promise<void>;
  /**
   * Stops like a process exit: executions still running end unrecorded, so the next start on the
   * same data folder reports them FAILED and redrivable. Call whenIdle() first to let them finish.
   */
  stop(): Promise<void>;
};

/** Starts the whole local stack: AWS endpoint, SES, the functions and the HTTP API. */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const root = options.root ?? resolve(__dirname, '..');
  const host = options.host ?? '127.0.0.1';
  const webhookSecret = options.webhookSecret ?? 'local-webhook-secret';
  if (options.reset && options.dataDir) rmSync(options.dataDir, { recursive: true, force: true });
  const config = loadServiceConfig(root, { stage: 'local', region: LOCAL_REGION });
  const faults = new Faults();
  const servers: Server[] = [];
  let haltExecutions = async () => {};
  let stopFunctions = async () => {};
  let stopEvents = () => {};
  const stop = async () => {
    // Like a process exit: running executions end here (the next start fails them, redrivable)
    // instead of running on in this process and writing to a data folder a new stack now owns.
    await haltExecutions();
    stopEvents();
    await stopFunctions();
    await Promise.all(servers.map((server) => new Promise((done) => server.close(done))));
  };

  try {
    const ses = await startMailbox({ host, port: options.sesPort ?? 8005 }).catch((error: unknown) => {
      throw portError(error, 'SES', options.sesPort ?? 8005, '--ses-port');
    });
    servers.push(ses);
    const sesUrl = `http://${host}:${(ses.address() as AddressInfo).port}`;

    const stackName = `${config.service}-${config.stage}`;
    const functionNamePrefix = `${stackName}-`;
    const principals = new Principals(LOCAL_ACCOUNT_ID);
    const authorizer = new Authorizer(options.iam ?? 'enforce', LOCAL_REGION);
    const admin = principals.add(adminPrincipal(LOCAL_ACCOUNT_ID));
    // Each function's role session, as Lambda assumes the execution role (session = function name).
    const sessions = new Map<string, Principal>();
    const functionCredentials = (key: string): Credentials => {
      const session = sessions.get(key);
      if (!session) throw new Error(`No function ${key}`);
      return session.credentials;
    };
    const lambda = createLambdaRuntime({
      root,
      functions: config.functions,
      functionNamePrefix,
      accountId: LOCAL_ACCOUNT_ID,
      region: LOCAL_REGION,
      faults,
      esbuild: config.esbuild,
      log: options.log,
      // Asked at a function's cold start, once the stack is up and every value below is known.
      environmentOf: (key) =>
        functionEnvironment(key, {
          root,
          functions: config.functions,
          functionNamePrefix,
          aws: environment,
          intrinsics,
          overrides: options.functionEnvironment,
          consoleUrl,
          credentials: functionCredentials(key),
        }),
    });
    const runtime: LambdaRuntime = {
      ...lambda,
      async invoke(keyOrArn, event, report) {
        const fn = config.functions.find(
          (candidate) => keyOrArn === candidate.key || keyOrArn === lambda.arnOf(candidate.key),
        );
        const session = fn ? sessions.get(fn.key) : undefined;
        if (fn && session)
          await authorizeLogs(authorizer, session, `/aws/lambda/${functionNamePrefix}${fn.key}`);
        return lambda.invoke(keyOrArn, event, report);
      },
    };
    /**
     * The execution role's session, per state machine and role: Step Functions assumes the role the
     * state machine had when the execution started to call its Tasks (machines from serverless.yml
     * or created through the API alike).
     */
    const stateMachineSessions = new Map<string, Principal>();
    let rolesByArn = new Map<string, Role>();
    const executionSession = (executionArn: string, roleArn: string): Principal | undefined => {
      const machine = stateMachineOf(executionArn);
      const key = `${roleArn} ${machine}`;
      const role = rolesByArn.get(roleArn);
      if (!stateMachineSessions.has(key) && role)
        stateMachineSessions.set(key, principals.assumeRole(role, `${machine.split(':').pop()}-execution`));
      return stateMachineSessions.get(key);
    };
    stopFunctions = () => lambda.stop();
    // The default event bus: Step Functions' status changes and the schedules reach functions here.
    const events = new LocalEventBus({
      accountId: LOCAL_ACCOUNT_ID,
      region: LOCAL_REGION,
      invoke: (key, event) => runtime.invoke(key, event),
      log: (line) => process.stderr.write(`${line}\n`),
    });
    stopEvents = () => events.stop();
    const dynamodb = createDynamoDbService({
      store: JournalStore.open(options.dataDir, 'dynamodb'),
      faults,
      accountId: LOCAL_ACCOUNT_ID,
      region: LOCAL_REGION,
    });
    const stepFunctions = createStepFunctionsEmulator({
      store: JournalStore.open(options.dataDir, 'stepfunctions'),
      accountId: LOCAL_ACCOUNT_ID,
      region: LOCAL_REGION,
      invokeTask: async (resource, input, { executionArn, roleArn }) => {
        const session = executionSession(executionArn, roleArn);
        // Optimized integrations (arn:aws:states:::dynamodb:putItem...) call the API as the role.
        const operation = dynamoDbOperation(resource);
        if (operation) {
          return runDynamoDbTask(dynamodb, operation, input, (requests) =>
            authorizeDynamoDb(authorizer, session, requests),
          );
        }
        await authorizeInvoke(authorizer, session, resource);
        return runtime.invoke(resource, input);
      },
      retryDelayScale: options.retryDelayScale,
      onStatusChange: (record) =>
        events.put(executionStatusChangeEvent(record, { accountId: LOCAL_ACCOUNT_ID, region: LOCAL_REGION })),
    });
    haltExecutions = () => stepFunctions.halt();
    const services = {
      iam: createIamService({
        store: JournalStore.open(options.dataDir, 'iam'),
        faults,
        accountId: LOCAL_ACCOUNT_ID,
      }),
      sts: createStsService({ accountId: LOCAL_ACCOUNT_ID }),
      secretsmanager: createSecretsManagerService({
        store: JournalStore.open(options.dataDir, 'secretsmanager'),
        faults,
        accountId: LOCAL_ACCOUNT_ID,
        region: LOCAL_REGION,
      }),
      states: stepFunctions.service,
      dynamodb: dynamodb.service,
      ses: createSesProxy(sesUrl, faults, { accountId: LOCAL_ACCOUNT_ID, region: LOCAL_REGION }),
      lambda: createLambdaService({
        runtime,
        functions: config.functions,
        accountId: LOCAL_ACCOUNT_ID,
        region: LOCAL_REGION,
      }),
    };
    const endpoint = createAwsEndpoint(
      services,
      adminRoutes(faults, authorizer, stepFunctions),
      { principals, admin, authorizer },
      options.observe,
    );
    await listen(endpoint, host, options.awsPort ?? 4566, 'AWS endpoint', '--aws-port');
    servers.push(endpoint);
    const awsUrl = `http://${host}:${(endpoint.address() as AddressInfo).port}`;

    const environment = {
      AWS_REGION: LOCAL_REGION,
      AWS_DEFAULT_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: ADMIN_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: ADMIN_CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL: awsUrl,
      AWS_ENDPOINT_URL_IAM: awsUrl,
      AWS_ENDPOINT_URL_STS: awsUrl,
      AWS_ENDPOINT_URL_SFN: awsUrl,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: awsUrl,
      AWS_ENDPOINT_URL_SES: awsUrl,
      AWS_ENDPOINT_URL_LAMBDA: awsUrl,
      AWS_ENDPOINT_URL_DYNAMODB: awsUrl,
    };
    // For SDK clients in this process configured by the environment alone (the CLI, the benchmarks).
    Object.assign(process.env, environment);
    const clientConfig = { endpoint: awsUrl, region: LOCAL_REGION, credentials: ADMIN_CREDENTIALS };

    // What CloudFormation would create from serverless.yml, created here through the same APIs.
    const refs: Record<string, string> = {};
    for (const fn of config.functions) {
      refs[fn.key] = runtime.arnOf(fn.key);
      refs[`${logicalIdOf(fn.key)}LambdaFunction.Arn`] = runtime.arnOf(fn.key);
    }
    for (const machine of config.stateMachines) {
      refs[machine.id] = `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:stateMachine:${machine.name}`;
    }
    const intrinsics = { accountId: LOCAL_ACCOUNT_ID, region: LOCAL_REGION, refs };
    await provisionTables(config.resources, intrinsics, clientConfig, stackName);
    await provisionResources(config.resources, intrinsics, clientConfig, webhookSecret);
    const roles = rolesOf(config.resources, stackName, intrinsics);
    options.editRoles?.(roles);
    rolesByArn = new Map([...roles.values()].map((role) => [role.arn, role]));
    for (const fn of config.functions) {
      const role = fn.role ? roles.get(fn.role) : undefined;
      if (!role) throw new Error(`serverless.yml: function ${fn.key} has no role defined in resources`);
      sessions.set(fn.key, principals.assumeRole(role, `${functionNamePrefix}${fn.key}`));
    }
    for (const fn of config.functions) {
      for (const pattern of fn.eventPatterns ?? []) {
        events.addRule({ functionKey: fn.key, pattern: resolveIntrinsics(pattern, intrinsics) });
      }
      for (const expression of fn.schedules ?? []) {
        events.addSchedule({ functionKey: fn.key, expression }, options.scheduleScale ?? 1);
      }
    }

    const stateMachineArns: Record<string, string> = {};
    for (const machine of config.stateMachines) {
      const definition = resolveIntrinsics(machine.definition, intrinsics) as Record<string, unknown>;
      options.editStateMachine?.(definition);
      const role = machine.role ? roles.get(machine.role) : undefined;
      if (!role)
        throw new Error(`serverless.yml: state machine ${machine.key} has no role defined in resources`);
      stateMachineArns[machine.key] = stepFunctions.registerStateMachine(machine.name, definition, role.arn);
    }
    const stateMachineArn = stateMachineArns.onboarding ?? '';
    stepFunctions.resumeInterruptedWaits();

    const opsConsole = createConsoleServer({ stateMachineArn, mailboxUrl: sesUrl, clientConfig });
    await listen(opsConsole, host, options.consolePort ?? 8080, 'ops console', '--console-port');
    servers.push(opsConsole);
    const consoleUrl = `http://${host}:${(opsConsole.address() as AddressInfo).port}`;

    const httpApi = createHttpApi(config.functions, runtime, LOCAL_ACCOUNT_ID);
    await listen(httpApi, host, options.webhookPort ?? 3000, 'webhook HTTP API', '--webhook-port');
    servers.push(httpApi);
    const webhookUrl = `http://${host}:${(httpApi.address() as AddressInfo).port}`;

    return {
      urls: { aws: awsUrl, webhook: webhookUrl, ses: sesUrl, console: consoleUrl },
      webhookSecret,
      stateMachineArn,
      stateMachineArns,
      clientConfig,
      environment,
      shellEnvironment: {
        AWS_ENDPOINT_URL: awsUrl,
        AWS_REGION: LOCAL_REGION,
        AWS_DEFAULT_REGION: LOCAL_REGION,
        AWS_ACCESS_KEY_ID: ADMIN_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: ADMIN_CREDENTIALS.secretAccessKey,
        CONSOLE_URL: consoleUrl,
        ONBOARDING_WEBHOOK_SECRET: webhookSecret,
      },
      faults,
      policyStream: () => authorizer.policyStream(),
      resetPolicyStream: () => authorizer.resetStream(),
      functionCredentials,
      recycleFunctions: () => lambda.recycle(),
      runSchedule: (key, time) => events.runSchedule(key, time),
      endWait: (executionArn) => stepFunctions.endWait(executionArn),
      whenIdle: async () => {
        await stepFunctions.whenIdle();
        await events.whenIdle();
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * A function's environment in its container, as Lambda builds it: the function's variables from
 * serverless.yml (with the stack's overrides and the console's URL), then what Lambda sets and a
 * function cannot override: region, its role's credentials, its name, memory, version and log
 * stream; plus the endpoint variables that point its SDK clients at this stack.
 */
function functionEnvironment(
  key: string,
  stack: {
    root: string;
    functions: FunctionConfig[];
    functionNamePrefix: string;
    /** The stack's AWS_* variables: region, endpoints and its own credentials. */
    aws: Record<string, string>;
    intrinsics: IntrinsicValues;
    overrides: Record<string, string> | undefined;
    consoleUrl: string;
    /** Its execution role's session. */
    credentials: Credentials;
  },
): Record<string, string> {
  const fn = stack.functions.find((candidate) => candidate.key === key);
  if (!fn) throw new Error(`No function ${key} in serverless.yml`);
  const name = `${stack.functionNamePrefix}${key}`;
  const { credentials } = stack;
  const today = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
  return {
    ...(resolveIntrinsics(fn.environment, stack.intrinsics) as Record<string, string>),
    ...stack.overrides,
    CONSOLE_URL: stack.consoleUrl, // NotifyOps links failed executions to the local console
    ...stack.aws,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    ...(credentials.sessionToken !== undefined && { AWS_SESSION_TOKEN: credentials.sessionToken }),
    AWS_LAMBDA_FUNCTION_NAME: name,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${name}`,
    // A new stream per container, named as Lambda names them.
    AWS_LAMBDA_LOG_STREAM_NAME: `${today}/[$LATEST]${randomUUID().replaceAll('-', '')}`,
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    // Its Node is 22: the SDK's warning about this machine's Node 20 is the stack's to give, once.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    LAMBDA_TASK_ROOT: stack.root,
  };
}

async function provisionResources(
  resources: ReturnType<typeof loadServiceConfig>['resources'],
  intrinsics: Parameters<typeof resolveIntrinsics>[1],
  clientConfig: Stack['clientConfig'],
  webhookSecret: string,
): Promise<void> {
  const iam = new IAMClient(clientConfig);
  const secrets = new SecretsManagerClient(clientConfig);
  for (const [logicalId, resource] of Object.entries(resources)) {
    const properties = resolveIntrinsics(resource.Properties ?? {}, intrinsics) as Record<string, unknown>;
    if (resource.Type === 'AWS::IAM::ManagedPolicy') {
      const name = String(properties.ManagedPolicyName);
      await iam
        .send(
          new CreatePolicyCommand({
            PolicyName: name,
            Description: String(properties.Description ?? ''),
            PolicyDocument: JSON.stringify(properties.PolicyDocument),
          }),
        )
        .catch(ignore('EntityAlreadyExistsException', 'EntityAlreadyExists'));
      intrinsics.refs[logicalId] = `arn:aws:iam::${intrinsics.accountId}:policy/${name}`;
    }
    if (resource.Type === 'AWS::SecretsManager::Secret') {
      const name = String(properties.Name);
      const value = JSON.stringify({ current: webhookSecret });
      const created = await secrets
        .send(
          new CreateSecretCommand({
            Name: name,
            Description: String(properties.Description ?? ''),
            SecretString: value,
          }),
        )
        .catch(async (error: unknown) => {
          if ((error as Error).name !== 'ResourceExistsException') throw error;
          return secrets.send(new PutSecretValueCommand({ SecretId: name, SecretString: value }));
        });
      intrinsics.refs[logicalId] = String(created.ARN);
    }
    if (resource.Type === 'AWS::SNS::Topic') {
      intrinsics.refs[logicalId] =
        `arn:aws:sns:${intrinsics.region}:${intrinsics.accountId}:${String(properties.TopicName)}`;
    }
  }
}

/** The state machine an execution belongs to: its ARN with `execution` and the name taken off. */
function stateMachineOf(executionArn: string): string {
  return executionArn.replace(':execution:', ':stateMachine:').replace(/:[^:]*$/, '');
}

const ignore =
  (...names: string[]) =>
  (error: unknown) => {
    if (!names.includes((error as Error).name)) throw error;
  };

/** `createUser` -> `CreateUser`, as serverless names the function's resources (`CreateUserLambdaFunction`). */
function logicalIdOf(functionKey: string): string {
  // The Framework's getNormalizedFunctionName: '-' and '_' are spelled out, the first letter raised.
  const normalized = functionKey.replace(/-/g, 'Dash').replace(/_/g, 'Underscore');
  return normalized.charAt(0).toUpperCase() + normalized.slice(1);
}

/** The state machine's role must allow lambda:InvokeFunction, or the Task fails as in AWS. */
async function authorizeInvoke(
  authorizer: Authorizer,
  session: Principal | undefined,
  functionArn: string,
): Promise<void> {
  if (!session) throw new LambdaFunctionError('Lambda.AWSLambdaException', 'No execution role');
  const denied = await authorizer.deniedMessage(session, [
    { action: 'lambda:InvokeFunction', resource: functionArn },
  ]);
  if (denied) {
    throw new LambdaFunctionError(
      'Lambda.AWSLambdaException',
      `${denied} (Service: AWSLambda; Status Code: 403; Error Code: AccessDeniedException)`,
    );
  }
}

/** The state machine's role must allow the DynamoDB action, or the Task fails with AccessDeniedException. */
async function authorizeDynamoDb(
  authorizer: Authorizer,
  session: Principal | undefined,
  requests: AuthorizationRequest[],
): Promise<void> {
  if (!session) throw new AwsError(400, 'AccessDeniedException', 'No execution role');
  const denied = await authorizer.deniedMessage(session, requests);
  if (denied) throw deniedError('dynamodb', denied);
}

/**
 * Lambda writes the function's logs with its execution role; without the permission AWS drops them
 * silently, so a denial here is logged (by the authorizer) and the invocation goes on.
 */
async function authorizeLogs(authorizer: Authorizer, session: Principal, logGroup: string): Promise<void> {
  const stream = `arn:aws:logs:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:log-group:${logGroup}:log-stream:local`;
  await authorizer.deniedMessage(session, [
    { action: 'logs:CreateLogStream', resource: stream },
    { action: 'logs:PutLogEvents', resource: stream },
  ]);
}

function adminRoutes(faults: Faults, authorizer: Authorizer, stepFunctions: StepFunctionsEmulator) {
  return async (request: UnauthenticatedRequest): Promise<AwsResponse | undefined> => {
    if (request.path === '/_local/health') return json(200, { status: 'ok' });
    if (request.path === '/_local/executions/end-wait' && request.method === 'POST') {
      const crossSite = crossSiteRequest(request.headers);
      if (crossSite) return json(crossSite.status, { message: crossSite.message });
      let executionArn: unknown;
      try {
        ({ executionArn } = JSON.parse(request.body.toString('utf8') || '{}') as { executionArn?: unknown });
      } catch (error) {
        return json(400, { message: (error as Error).message });
      }
      if (typeof executionArn !== 'string')
        return json(400, { message: 'executionArn (a string) is required' });
      try {
        return json(200, { executionArn, endedWait: await stepFunctions.endWait(executionArn) });
      } catch (error) {
        if (error instanceof WaitNotEndedError) return json(409, { message: error.message });
        throw error;
      }
    }
    if (request.path === '/_local/policy-stream' && request.method === 'GET') {
      return json(200, { mode: authorizer.mode, principals: await authorizer.policyStream() });
    }
    if (request.path === '/_local/faults') {
      if (request.method === 'DELETE') faults.clear();
      if (request.method === 'POST') {
        // Any page the developer opens may POST here; only a same-origin JSON request is taken.
        const crossSite = crossSiteRequest(request.headers);
        if (crossSite) return json(crossSite.status, { message: crossSite.message });
        try {
          faults.configure(JSON.parse(request.body.toString('utf8') || '{}'));
        } catch (error) {
          if (!(error instanceof SyntaxError || error instanceof FaultConfigurationError)) throw error;
          return json(400, { message: error.message });
        }
      }
      return json(200, faults.describe());
    }
    // The index is for a person with a browser: an AWS client (signed, or presigned) gets its
    // service's "not emulated" error instead, never a 200 it would try to parse as an answer.
    const signed =
      request.headers.authorization !== undefined ||
      request.headers['x-amz-target'] !== undefined ||
      request.query.has('X-Amz-Credential');
    if (request.path === '/' && request.method === 'GET' && !signed) {
      return json(200, {
        service: 'iam-onboarding local AWS endpoint',
        emulates: EMULATED_SERVICES,
        services: Object.keys(SERVICE_PROTOCOLS),
      });
    }
    return undefined;
  };
}

function listen(server: Server, host: string, port: number, what: string, flag: string): Promise<void> {
  return new Promise((done, fail) => {
    server.once('error', (error) => fail(portError(error, what, port, flag)));
    server.listen(port, host, () => done());
  });
}

function portError(error: unknown, what: string, port: number, flag: string): Error {
  if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    return new Error(
      `Port ${port} (${what}) is already in use. Stop whatever uses it, or choose another port with ${flag}.`,
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}
