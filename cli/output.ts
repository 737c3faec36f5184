import { createInterface } from 'node:readline/promises';

/** Where a command writes: tests collect the text, the CLI writes to the terminal. */
export type Output = {
  /** Results, on stdout. */
  print(text: string): void;
  /** Progress and problems, on stderr, so that stdout stays parseable. */
  warn(text: string): void;
  /** Print JSON instead of tables (`--json`). */
  json: boolean;
  /** ANSI colours: only when stdout is a terminal and NO_COLOR is not set. */
  color: boolean;
  /** Asks a yes/no question; undefined when there is no terminal to ask on. */
  confirm?: (question: string) => Promise<boolean>;
};

/** Prints `value` as indented JSON. */
export function printJson(out: Output, value: unknown): void {
  out.print(JSON.stringify(value, null, 2));
}

/** The process's terminal: stdout for results, stderr for prompts and problems. */
export function terminalOutput(options: { json: boolean; env: NodeJS.ProcessEnv }): Output {
  const noColor = (options.env.NO_COLOR ?? '') !== '';
  return {
    print: (text) => process.stdout.write(`${text}\n`),
    warn: (text) => process.stderr.write(`${text}\n`),
    json: options.json,
    color: process.stdout.isTTY === true && !noColor,
    confirm: process.stdin.isTTY ? askOnTerminal : undefined,
  };
}

async function askOnTerminal(question: string): Promise<boolean> {
  const readline = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await readline.question(`${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    readline.close();
  }
}
