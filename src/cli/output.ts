// Where the CLI writes. Injected so tests can run commands in-process.
export interface CliOutput {
  out(text: string): void;
  err(text: string): void;
  /** Colors on stderr (a terminal, and NO_COLOR not set). */
  color: boolean;
}

export function processOutput(): CliOutput {
  const forced = process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0';
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    color: forced || (process.stderr.isTTY === true && process.env.NO_COLOR === undefined),
  };
}
