#!/usr/bin/env node
// The meshdeploy binary: wires the real process into runCli and sets the exit code.
// Ctrl-C or SIGTERM aborts (in-flight work finishes, exit 130); a second one exits at once.
import { runCli } from "./run.js";
import { askYesNo } from "./terminal-prompt.js";
import type { Io } from "./io.js";

// The official MeshAgent client logs its own retries and disconnects to the console; meshdeploy
// reports those through its errors instead, so its chatter is shown only with MESHDEPLOY_DEBUG.
if (!process.env["MESHDEPLOY_DEBUG"]) {
  console.debug = () => {};
  console.warn = () => {};
}

const controller = new AbortController();
process.on("SIGINT", () => {
  if (controller.signal.aborted) process.exit(130);
  controller.abort();
});
process.on("SIGTERM", () => {
  if (controller.signal.aborted) process.exit(143);
  controller.abort();
});

const io: Io = {
  out: (line) => process.stdout.write(line + "\n"),
  err: (line) => process.stderr.write(line + "\n"),
  env: process.env,
  cwd: process.cwd(),
  colour: Boolean(process.stdout.isTTY) && !process.env["NO_COLOR"],
  // Like Terraform: whether a question can be answered depends on stdin alone (`apply | tee log`
  // still asks; `apply < /dev/null` never does). The question goes to stderr.
  interactive: Boolean(process.stdin.isTTY),
  confirm: (question) => askYesNo(question, { input: process.stdin, output: process.stderr, signal: controller.signal }),
  stdinIsTerminal: Boolean(process.stdin.isTTY),
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Uint8Array));
    return Buffer.concat(chunks);
  },
  signal: controller.signal,
  onHangup: (listener) => {
    process.on("SIGHUP", listener);
    return () => process.off("SIGHUP", listener);
  },
};

const code = await runCli(process.argv.slice(2), io);
// Everything is done and written (stdout/stderr writes are synchronous for files, pipes and TTYs
// on Linux). Exit now: after a dropped room socket the official client keeps its reconnect
// deadline timer alive for up to its reconnect timeout, which would hold the process open.
process.exit(code);
