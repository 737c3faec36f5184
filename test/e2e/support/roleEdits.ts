import type { Statement } from '../../../local/authz/policyEvaluation';
import type { Role } from '../../../local/authz/principals';
import { type CapturedOutput, captureOutput } from './captureOutput';
import { startTestStack, type TestStack } from './testStack';

export type EditableStack = { stack: TestStack; roles: Map<string, Role>; output: CapturedOutput };

/**
 * A test stack and the roles it enforces, to edit while it runs, with the process output captured
 * (denials are logged there, and the runs they fail log their errors).
 */
export async function startStackWithEditableRoles(): Promise<EditableStack & { close(): Promise<void> }> {
  const output = captureOutput();
  let roles = new Map<string, Role>();
  const stack = await startTestStack({
    editRoles: (loaded) => {
      roles = loaded;
    },
  });
  return {
    stack,
    roles,
    output,
    async close() {
      await stack.close();
      output.restore();
    },
  };
}

/** A role's statements, each with its place, as serverless.yml lists them. */
export function statementsOf(role: Role): Statement[] {
  return role.policies.flatMap((policy) => {
    const statements = policy.document.Statement;
    return Array.isArray(statements) ? statements : [statements];
  });
}

/**
 * Removes the statement `sid` from `role` (in place: the stack reads a role's policies at every
 * call) and returns the function that puts it back.
 */
export function removeStatement(role: Role, sid: string): () => void {
  for (const policy of role.policies) {
    const statements = policy.document.Statement;
    if (!Array.isArray(statements)) continue;
    const index = statements.findIndex((statement) => statement.Sid === sid);
    if (index < 0) continue;
    const [removed] = statements.splice(index, 1);
    return () => {
      if (removed) statements.splice(index, 0, removed);
    };
  }
  throw new Error(`${role.logicalId} has no statement ${sid}`);
}

/** The actions a statement grants, as written. */
export function actionsOf(statement: Statement): string[] {
  const actions = statement.Action ?? [];
  return Array.isArray(actions) ? actions : [actions];
}
