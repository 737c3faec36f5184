import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse, type Tags } from 'yaml';

/**
 * Reads serverless.yml the way the Serverless Framework does for the parts the local stack needs:
 * CloudFormation short tags, and the variables this project uses (self:, sls:stage, opt:, param:,
 * env:, file()). CloudFormation intrinsics (Ref, Fn::Sub, Fn::GetAtt) are left for resolveIntrinsics.
 */

export type FunctionConfig = {
  key: string;
  handler: string;
  /** Logical id of the function's execution role (`role:` in serverless.yml). */
  role?: string;
  timeout: number;
  memorySize: number;
  environment: Record<string, unknown>;
  httpApi: Array<{ method: string; path: string }>;
  /** `schedule` events: their schedule expressions (`rate(1 hour)`), enabled ones only. */
  schedules?: string[];
  /** `eventBridge` events on the default bus: their event patterns, intrinsics unresolved. */
  eventPatterns?: unknown[];
};

export type StateMachineConfig = {
  key: string;
  id: string;
  name: string;
  definition: unknown;
  /** Logical id of the execution role (`role: !GetAtt <Role>.Arn`). */
  role?: string;
};

export type ServiceConfig = {
  service: string;
  stage: string;
  region: string;
  functions: FunctionConfig[];
  /** `custom.esbuild`: serverless-esbuild's options, which the deploy bundles each function with. */
  esbuild?: Record<string, unknown>;
  stateMachines: StateMachineConfig[];
  resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
};

const cloudFormationTags: Tags = [
  { tag: '!Ref', resolve: (value: string) => ({ Ref: value }) },
  { tag: '!Sub', resolve: (value: string) => ({ 'Fn::Sub': value }) },
  { tag: '!GetAtt', resolve: (value: string) => ({ 'Fn::GetAtt': value.split('.') }) },
];

function readYaml(file: string): unknown {
  return parse(readFileSync(file, 'utf8'), { customTags: cloudFormationTags, merge: true });
}

const VARIABLE = /\$\{((?:self|sls|opt|param|env|file)[:(][^{}]*?)\}/g;

type Options = { stage?: string; region?: string; params?: Record<string, string> };

/** Loads and resolves `<root>/serverless.yml`. */
export function loadServiceConfig(root: string, options: Options = {}): ServiceConfig {
  const file = resolve(root, 'serverless.yml');
  const raw = readYaml(file) as Record<string, unknown>;
  // Walks a dotted path, resolving variables on the way (custom.x may itself be a ${file(...)}).
  const get = (path: string): unknown =>
    path.split('.').reduce<unknown>((node, part) => {
      const current = typeof node === 'string' ? resolveValue(node) : node;
      return (current as Record<string, unknown> | undefined)?.[part];
    }, raw);
  const provider = raw.provider as Record<string, unknown>;

  const source = (expression: string): unknown => {
    const [address = '', fallback] = splitFallback(expression);
    let value: unknown;
    if (address.startsWith('self:')) value = get(address.slice(5));
    else if (address === 'sls:stage') value = options.stage ?? source(String(provider.stage).slice(2, -1));
    else if (address === 'opt:stage') value = options.stage;
    else if (address === 'opt:region') value = options.region;
    else if (address.startsWith('param:')) {
      const name = address.slice(6);
      value = options.params?.[name] ?? (get(`params.default.${name}`) as unknown);
    } else if (address.startsWith('env:')) value = process.env[address.slice(4)];
    else if (address.startsWith('file(')) value = fileSource(dirname(file), address);
    else throw new Error(`serverless.yml: unsupported variable \${${expression}}`);
    if (value === undefined) value = fallback;
    if (value === undefined) throw new Error(`serverless.yml: \${${expression}} has no value`);
    return resolveValue(value);
  };

  const resolveValue = (value: unknown): unknown => {
    if (typeof value === 'string') {
      const whole = /^\$\{((?:self|sls|opt|param|env|file)[:(][^{}]*?)\}$/.exec(value);
      if (whole?.[1]) return source(whole[1]);
      return value.replace(VARIABLE, (_, expression: string) => String(source(expression)));
    }
    if (Array.isArray(value)) return value.map(resolveValue);
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveValue(v)]));
    }
    return value;
  };

  const stage = String(resolveValue(provider.stage));
  const functions = Object.entries((raw.functions ?? {}) as Record<string, Record<string, unknown>>).map(
    ([key, fn]): FunctionConfig => ({
      key,
      handler: String(fn.handler),
      ...(typeof fn.role === 'string' ? { role: fn.role } : {}),
      timeout: Number(fn.timeout ?? provider.timeout ?? 6),
      memorySize: Number(fn.memorySize ?? provider.memorySize ?? 1024),
      environment: resolveValue({
        ...(provider.environment as object),
        ...(fn.environment as object),
      }) as Record<string, unknown>,
      httpApi: ((fn.events ?? []) as Array<Record<string, { method: string; path: string }>>)
        .flatMap((event) => (event.httpApi ? [event.httpApi] : []))
        .map((event) => ({ method: event.method.toUpperCase(), path: event.path })),
      ...eventsOf(fn.events, resolveValue),
    }),
  );
  const machines = (get('stepFunctions.stateMachines') ?? {}) as Record<string, Record<string, unknown>>;
  const stateMachines = Object.entries(machines).map(
    ([key, machine]): StateMachineConfig => ({
      key,
      id: String(machine.id),
      name: String(resolveValue(machine.name)),
      definition: resolveValue(machine.definition),
      ...roleOf(machine.role),
    }),
  );
  const esbuild = resolveValue(get('custom.esbuild'));
  return {
    service: String(raw.service),
    stage,
    region: String(resolveValue(provider.region)),
    functions,
    ...(esbuild !== undefined && { esbuild: esbuild as Record<string, unknown> }),
    stateMachines,
    resources: resolveValue(get('resources.Resources') ?? {}) as ServiceConfig['resources'],
  };
}

/** A function's `schedule` and `eventBridge` events, as serverless v3 reads them. */
function eventsOf(
  events: unknown,
  resolveValue: (value: unknown) => unknown,
): { schedules: string[]; eventPatterns: unknown[] } {
  const schedules: string[] = [];
  const eventPatterns: unknown[] = [];
  for (const event of (events ?? []) as Array<Record<string, unknown>>) {
    const schedule = resolveValue(event.schedule) as string | { rate?: string | string[]; enabled?: boolean };
    if (typeof schedule === 'string') schedules.push(schedule);
    else if (schedule && schedule.enabled !== false) schedules.push(...[schedule.rate ?? []].flat());
    const rule = resolveValue(event.eventBridge) as { pattern?: unknown; eventBus?: unknown } | undefined;
    if (rule?.pattern !== undefined && rule.eventBus === undefined) eventPatterns.push(rule.pattern);
  }
  return { schedules, eventPatterns };
}

function roleOf(role: unknown): { role?: string } {
  const getAtt = (role as { 'Fn::GetAtt'?: unknown } | undefined)?.['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return { role: getAtt[0] };
  return typeof role === 'string' ? { role } : {};
}

function splitFallback(expression: string): [string, unknown] {
  const comma = expression.indexOf(',');
  if (comma < 0 || expression.startsWith('file(')) return [expression.trim(), undefined];
  const fallback = expression
    .slice(comma + 1)
    .trim()
    .replace(/^['"]|['"]$/g, '');
  return [expression.slice(0, comma).trim(), fallback];
}

function fileSource(base: string, address: string): unknown {
  const match = /^file\(([^)]+)\)(?::(.+))?$/.exec(address);
  if (!match?.[1]) throw new Error(`serverless.yml: bad file variable ${address}`);
  const path = resolve(base, match[1]);
  const content: unknown = path.endsWith('.js') ? (require(path) as () => unknown)() : readYaml(path);
  const key = match[2];
  return key === undefined ? content : (content as Record<string, unknown>)[key];
}

/** Values for CloudFormation intrinsics: pseudo parameters and logical ids the local stack created. */
export type IntrinsicValues = { accountId: string; region: string; refs: Record<string, string> };

/**
 * Resolves Ref, Fn::Sub and Fn::GetAtt as CloudFormation would, for local values: `Fn::GetAtt
 * [Id, Attr]` is the value registered as `Id.Attr`, else the Ref value of `Id`.
 */
export function resolveIntrinsics(value: unknown, values: IntrinsicValues): unknown {
  const pseudo: Record<string, string> = {
    'AWS::AccountId': values.accountId,
    'AWS::Region': values.region,
    'AWS::Partition': 'aws',
  };
  const lookup = (name: string): string => {
    const found = pseudo[name] ?? values.refs[name];
    if (found === undefined) throw new Error(`serverless.yml: no local value for ${name}`);
    return found;
  };
  if (Array.isArray(value)) return value.map((item) => resolveIntrinsics(item, values));
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record.Ref === 'string') return lookup(record.Ref);
    if (typeof record['Fn::Sub'] === 'string') {
      // `${!Literal}` is CloudFormation's escape for a literal `${Literal}` (an IAM policy variable).
      return record['Fn::Sub'].replace(/\$\{(!?)([\w:.]+)\}/g, (_, literal: string, name: string) => {
        if (literal) return `\${${name}}`;
        return name.includes('.') ? (values.refs[name] ?? lookup(name.split('.')[0] ?? name)) : lookup(name);
      });
    }
    const getAtt = record['Fn::GetAtt'];
    if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') {
      const attribute = `${getAtt[0]}.${String(getAtt[1])}`;
      return values.refs[attribute] ?? lookup(getAtt[0]);
    }
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, resolveIntrinsics(v, values)]));
  }
  return value;
}
