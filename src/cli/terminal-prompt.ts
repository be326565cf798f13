// The yes/no question `apply` asks on a terminal. Written to stderr, so `apply | tee log` and
// `apply > log` still show it; Ctrl-C or Ctrl-D at the question (readline's AbortError) is an
// interrupt — E_INTERRUPTED, exit 130, nothing changed — never "a bug in meshdeploy".
import { createInterface } from "node:readline/promises";
import { MeshdeployError } from "../errors.js";

export interface PromptStreams {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** Aborts the question (SIGTERM while it is asked). */
  signal?: AbortSignal;
  /** Treat the input as a terminal (keys such as Ctrl-C arrive as bytes, not signals). */
  terminal?: boolean;
}

/** True for `y` / `yes` (any case); false for anything else, including an empty answer. */
export async function askYesNo(question: string, streams: PromptStreams): Promise<boolean> {
  const rl = createInterface({ input: streams.input, output: streams.output, ...(streams.terminal === undefined ? {} : { terminal: streams.terminal }) });
  try {
    const answer = await rl.question(`${question} [y/N] `, streams.signal === undefined ? {} : { signal: streams.signal });
    return /^y(es)?$/i.test(answer.trim());
  } catch (error) {
    if (error instanceof Error && error.name === "AbortError") {
      const key = /Ctrl\+D/.test(error.message) ? "Ctrl-D" : /Ctrl\+C/.test(error.message) ? "Ctrl-C" : "interrupted";
      streams.output.write("\n");
      throw new MeshdeployError("E_INTERRUPTED", `apply cancelled at the confirmation prompt (${key}); nothing was changed`);
    }
    throw error;
  } finally {
    rl.close();
  }
}
