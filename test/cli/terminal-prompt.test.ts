// The confirmation question on a terminal: y/yes answer yes, anything else no; Ctrl-C and Ctrl-D
// at the question are an interrupt (E_INTERRUPTED → exit 130), never an unexpected failure.
import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { describe, it } from "node:test";
import { isMeshdeployError } from "../../src/errors.js";
import { askYesNo } from "../../src/cli/terminal-prompt.js";

async function answer(keys: string): Promise<{ value?: boolean; error?: unknown; shown: string }> {
  const input = new PassThrough();
  const output = new PassThrough();
  let shown = "";
  output.on("data", (d) => (shown += String(d)));
  const asked = askYesNo("Apply these changes?", { input, output, terminal: true });
  input.write(keys);
  try {
    return { value: await asked, shown };
  } catch (error) {
    return { error, shown };
  }
}

describe("askYesNo", () => {
  it("y and yes (any case) are yes; n, an empty answer and anything else are no", async () => {
    for (const keys of ["y\r", "YES\r", " yes \r"]) assert.equal((await answer(keys)).value, true, keys);
    for (const keys of ["n\r", "\r", "yep\r", "no\r"]) assert.equal((await answer(keys)).value, false, keys);
    assert.match((await answer("n\r")).shown, /Apply these changes\? \[y\/N\] /);
  });

  it("Ctrl-C and Ctrl-D are E_INTERRUPTED saying nothing was changed", async () => {
    for (const [keys, name] of [["\u0003", "Ctrl-C"], ["\u0004", "Ctrl-D"]] as const) {
      const { error } = await answer(keys);
      assert.ok(isMeshdeployError(error), `${name}: ${String(error)}`);
      assert.equal(error.code, "E_INTERRUPTED");
      assert.match(error.message, new RegExp(`${name}.*nothing was changed`));
    }
  });

  it("an aborted signal (SIGTERM during the question) is an interrupt too", async () => {
    const controller = new AbortController();
    const asked = askYesNo("Apply?", { input: new PassThrough(), output: new PassThrough(), terminal: true, signal: controller.signal });
    controller.abort();
    await assert.rejects(asked, (e: unknown) => isMeshdeployError(e) && e.code === "E_INTERRUPTED");
  });
});
