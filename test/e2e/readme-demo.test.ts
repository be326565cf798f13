// The README's first command, `npx meshdeploy apply --local`, on a copy of this repository's own
// demo config: it converges and a second run changes nothing — on the local room's default
// generation (0.50.1, what users run today) and on 0.39.9.
import assert from "node:assert/strict";
import { cp } from "node:fs/promises";
import path from "node:path";
import { it } from "node:test";
import { fileURLToPath } from "node:url";
import { runBinaryAsync } from "../helpers/binary.js";
import { forEachPlatform } from "../helpers/platforms.js";
import { testTempDir } from "../helpers/temp-dirs.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

forEachPlatform("the README's first command on the demo config", (platform) => {
  it("apply --local creates the demo services, waits for them, and a second apply changes nothing", async (t) => {
    const dir = testTempDir(t, "readme-demo");
    await cp(path.join(ROOT, ".meshdeploy.yaml"), path.join(dir, ".meshdeploy.yaml"));
    await cp(path.join(ROOT, "examples", "hello-web"), path.join(dir, "examples", "hello-web"), { recursive: true });
    // The default generation is what `npx meshdeploy apply --local` speaks on a fresh clone; 0.39.9 is asked for.
    const args = platform === "0.50.1" ? ["apply", "--local"] : ["apply", "--local", "--platform", platform];
    const first = await runBinaryAsync(args, dir);
    assert.equal(first.code, 0, first.stdout + first.stderr);
    assert.match(first.stderr, new RegExp(`MeshAgent ${platform.replaceAll(".", "\\.")}`));
    assert.match(first.stdout, /Apply complete: 3 created, 0 updated, 0 deleted, 0 unchanged\./);
    const second = await runBinaryAsync(args, dir);
    assert.equal(second.code, 0, second.stdout + second.stderr);
    assert.match(second.stdout, /No changes\. 3 services up to date\./);
  });
}, { timeout: 120_000 });
