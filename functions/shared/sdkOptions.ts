/**
 * Options of every SDK client the handlers use. Each client is created once per container, in its
 * own module so a bundle holds only the clients its handler imports, and configured only by the
 * environment (region, credentials and AWS_ENDPOINT_URL for the local stack). One SDK attempt: Step
 * Functions owns the retries, with jitter and a visible history, so they are not multiplied by the SDK's.
 */
export const TASK_CLIENT_OPTIONS = { maxAttempts: 1 } as const;
