// What a command may touch of the outside world, passed in so commands run the same under the
// real process (cli/main.ts) and in tests.

export interface Io {
  out(line: string): void;
  err(line: string): void;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** stdout is a terminal and NO_COLOR is not set. */
  colour: boolean;
  /** stdin is a terminal: a question can be answered (stdout may be a pipe). */
  interactive: boolean;
  /** Ask a yes/no question (only called when interactive); Ctrl-C / Ctrl-D reject with E_INTERRUPTED. */
  confirm(question: string): Promise<boolean>;
  /** stdin is a terminal (a secret value is then not read from it). */
  stdinIsTerminal?: boolean;
  /** All of stdin (`secret set` reads the value from it); absent: stdin cannot be read. */
  readStdin?(): Promise<Buffer>;
  /** Aborted on Ctrl-C. */
  signal: AbortSignal;
  /** Subscribe to SIGHUP (sync: reconcile now); returns the unsubscribe. Absent: no such signal. */
  onHangup?(listener: () => void): () => void;
}
