/** What the process wrote to stdout and stderr since {@link captureOutput}. */
export type CapturedOutput = { text(): string; restore(): void };

/**
 * Captures (and silences) every write to process.stdout and process.stderr: the functions' log
 * lines (their worker threads' output is piped to these streams) and anything the stack prints.
 */
export function captureOutput(): CapturedOutput {
  const chunks: string[] = [];
  const capture = (chunk: unknown, ...rest: unknown[]): boolean => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
    callback?.();
    return true;
  };
  const spies = [
    jest.spyOn(process.stdout, 'write').mockImplementation(capture),
    jest.spyOn(process.stderr, 'write').mockImplementation(capture),
  ];
  return {
    text: () => chunks.join(''),
    restore: () => {
      for (const spy of spies) spy.mockRestore();
    },
  };
}
