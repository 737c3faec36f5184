/**
 * Where ops open an execution: the local ops console when `consoleUrl` is set (CONSOLE_URL),
 * else the Step Functions console of `region`.
 */
export function executionLink(executionArn: string, region: string, consoleUrl?: string): string {
  if (consoleUrl) return `${consoleUrl.replace(/\/+$/, '')}/executions/${encodeURIComponent(executionArn)}`;
  return `https://${region}.console.aws.amazon.com/states/home?region=${region}#/v2/executions/details/${executionArn}`;
}

/** The console sign-in URL of an account, by its alias when it has one, else by its id. */
export function signInUrl(accountAliasOrId: string): string {
  return `https://${accountAliasOrId}.signin.aws.amazon.com/console`;
}
