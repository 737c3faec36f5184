import { actionsMatching, documentedKeys } from './actionCatalog';
import { type Decision, evaluate, type RequestContext } from './policyEvaluation';
import type { Principal } from './principals';

/**
 * `enforce` refuses what AWS would refuse; `soft` logs the denial and lets the call through; `off`
 * neither verifies signatures nor evaluates policies (the floor the enforcement's cost is measured
 * against, and an escape hatch while debugging).
 */
export type IamMode = 'enforce' | 'soft' | 'off';

/** One authorization an action needs, as the emulator of that action builds it. */
export type AuthorizationRequest = {
  action: string;
  /** The resource's ARN, or '*' for an action that takes none. */
  resource: string;
  /** Service-specific and tag keys; those AWS does not document for the action are dropped. */
  keys?: RequestContext['keys'];
};

/** What one principal did in a run: the actions it was allowed and denied. */
export type PolicyStreamEntry = {
  principal: string;
  used: string[];
  /** Actions its policies grant that no call used. */
  unused: string[];
  denied: Array<{ action: string; resource: string; reason: string }>;
};

type Usage = { principal: Principal; used: Set<string>; denied: PolicyStreamEntry['denied'] };

/**
 * Evaluates every call a principal makes, as AWS does: the request context AWS builds for the
 * action (global keys plus the documented keys), the caller's identity policies and permissions
 * boundary, explicit deny first. Records a policy stream per principal.
 */
export class Authorizer {
  private readonly usage = new Map<string, Usage>();

  constructor(
    readonly mode: IamMode,
    private readonly region: string,
    // Straight to stderr, as the stack's other log lines (the functions' own go to stdout).
    private readonly log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
  ) {}

  /** AWS's AccessDenied message for the first request `principal` may not make, or undefined when all are allowed. */
  async deniedMessage(principal: Principal, requests: AuthorizationRequest[]): Promise<string | undefined> {
    if (this.mode === 'off') return undefined;
    for (const request of requests) {
      const context = await this.contextOf(principal, request);
      const decision = evaluate(context, principal.policies());
      const usage = this.usageOf(principal);
      if (decision.decision === 'Allow') {
        usage.used.add(request.action);
        continue;
      }
      const message = accessDeniedMessage(principal, request, decision);
      const reason = explain(decision);
      usage.denied.push({ action: request.action, resource: request.resource, reason });
      this.log(
        `iam ${this.mode === 'enforce' ? 'DENIED' : 'would deny (soft mode)'}: ${principal.arn} ${request.action} on ${request.resource}: ${reason}`,
      );
      if (this.mode === 'enforce') return message;
    }
    return undefined;
  }

  /** Per principal: the actions used, the granted actions never used, and the denials. */
  async policyStream(): Promise<PolicyStreamEntry[]> {
    const entries: PolicyStreamEntry[] = [];
    for (const { principal, used, denied } of this.usage.values()) {
      const granted = await grantedActions(principal);
      entries.push({
        principal: principal.principalArn,
        used: [...used].sort(),
        unused: granted.filter((action) => ![...used].some((u) => u.toLowerCase() === action.toLowerCase())),
        denied,
      });
    }
    return entries.sort((a, b) => a.principal.localeCompare(b.principal));
  }

  /** Starts a new policy stream (tests measure one run at a time). */
  resetStream(): void {
    this.usage.clear();
  }

  private usageOf(principal: Principal): Usage {
    let usage = this.usage.get(principal.principalArn);
    if (!usage) {
      usage = { principal, used: new Set(), denied: [] };
      this.usage.set(principal.principalArn, usage);
    }
    return usage;
  }

  private async contextOf(principal: Principal, request: AuthorizationRequest): Promise<RequestContext> {
    const documented = await documentedKeys(request.action);
    const now = new Date();
    const keys: RequestContext['keys'] = {
      'aws:CurrentTime': now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      'aws:EpochTime': String(Math.floor(now.getTime() / 1000)),
      'aws:PrincipalAccount': principal.accountId,
      'aws:PrincipalArn': principal.principalArn,
      'aws:PrincipalType': principal.type,
      'aws:RequestedRegion': this.region,
      'aws:SecureTransport': false,
      'aws:SourceIp': '127.0.0.1',
      'aws:userid': principal.userId,
      'aws:ViaAWSService': false,
      'aws:PrincipalIsAWSService': false,
      ...(principal.userName ? { 'aws:username': principal.userName } : {}),
    };
    for (const [key, value] of Object.entries(request.keys ?? {})) if (documented(key)) keys[key] = value;
    return { action: request.action, resource: request.resource, keys };
  }
}

/** AWS's wording, e.g. `User: arn:aws:sts::…:assumed-role/R/s is not authorized to perform: iam:TagUser on resource: arn:… because no identity-based policy allows the iam:TagUser action`. */
export function accessDeniedMessage(
  principal: Principal,
  request: AuthorizationRequest,
  decision: Decision,
): string {
  const where = decision.by === 'boundary' ? 'a permissions boundary' : 'an identity-based policy';
  const why =
    decision.decision === 'ExplicitDeny'
      ? `with an explicit deny in ${where}`
      : `because no ${decision.by === 'boundary' ? 'permissions boundary' : 'identity-based policy'} allows the ${request.action} action`;
  return `User: ${principal.arn} is not authorized to perform: ${request.action} on resource: ${request.resource} ${why}`;
}

function explain(decision: Decision): string {
  const statement = decision.statement;
  const named = statement ? `${statement.policy} statement ${statement.sid ?? `#${statement.index}`}` : '';
  if (decision.decision === 'ExplicitDeny') return `explicit deny in ${named}`;
  return decision.by === 'boundary'
    ? 'the permissions boundary allows no such call'
    : 'no identity-based policy statement allows it';
}

async function grantedActions(principal: Principal): Promise<string[]> {
  const granted = new Set<string>();
  for (const policy of principal.policies().identity) {
    const statements = policy.document.Statement;
    for (const statement of Array.isArray(statements) ? statements : [statements]) {
      if (statement.Effect !== 'Allow' || statement.Action === undefined) continue;
      const actions = Array.isArray(statement.Action) ? statement.Action : [statement.Action];
      for (const pattern of actions) {
        if (pattern === '*') granted.add('*');
        else for (const action of await actionsMatching(pattern)) granted.add(action);
      }
    }
  }
  return [...granted].sort();
}
