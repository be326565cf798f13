// The built binary as a pipeline runs it (issue 12 "Done means"): `apply --prune < /dev/null | cat`
// without --yes changes nothing and exits 1, because apply asks only when stdin is a terminal.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { writeFile } from "node:fs/promises";
import { BIN } from "../helpers/binary.js";
import { type Harness, startHarness, TOKEN } from "../helpers/local-room.js";

const CONFIG = "version: 1\nroom: dev\nowner: piped\nservices:\n  - tag: acme/web:1\n  - tag: acme/cron:1\n";

function pipeline(command: string, cwd: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn("bash", ["-o", "pipefail", "-c", command], { cwd, env: { PATH: process.env["PATH"] ?? "", NO_COLOR: "1", ...env } });
    let output = "";
    child.stdout.on("data", (d) => (output += String(d)));
    child.stderr.on("data", (d) => (output += String(d)));
    child.on("close", (code) => resolve({ code, output }));
  });
}

describe("apply in a pipeline", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ rooms: ["dev"] });
  });
  after(() => h.close());

  it("`apply --prune < /dev/null | cat` without --yes changes nothing and exits 1", async () => {
    const env = { MESHAGENT_API_URL: h.room.url, MESHAGENT_API_KEY: TOKEN, MESHAGENT_PROJECT_ID: "local" };
    await writeFile(path.join(h.projectDir, ".meshdeploy.yaml"), CONFIG);
    const seeded = await pipeline(`node ${JSON.stringify(BIN)} apply --yes --no-wait < /dev/null | cat`, h.projectDir, env);
    assert.equal(seeded.code, 0, seeded.output);
    await writeFile(path.join(h.projectDir, ".meshdeploy.yaml"), CONFIG.replace("  - tag: acme/cron:1\n", ""));
    const before = JSON.stringify(await h.target().listServices("dev"));
    const piped = await pipeline(`node ${JSON.stringify(BIN)} apply --prune < /dev/null | cat`, h.projectDir, env);
    assert.equal(piped.code, 1, piped.output);
    assert.match(piped.output, /acme-cron\s+delete/);
    assert.match(piped.output, /the plan deletes 1 service and stdin is not a terminal, so apply cannot ask for confirmation; nothing was changed/);
    assert.doesNotMatch(piped.output, /Apply these changes\?/);
    assert.equal(JSON.stringify(await h.target().listServices("dev")), before);
  });
});
