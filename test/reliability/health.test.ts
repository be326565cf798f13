// Health is part of "converged" (reliability audit H2): a crash-looping service whose wait was
// killed is never "unchanged" on a re-run. The reproduction: SIGKILL `apply --local` while it
// waits, then apply twice more; both exit 1 naming the service, its exit code and its state.
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, it } from "node:test";
import { finished, runBinaryAsync, spawnBinary, waitForOutput } from "../helpers/binary.js";
import { suiteTempDirs } from "../helpers/temp-dirs.js";

const CONFIG = 'version: 1\nroom: dev\nowner: gap2\nservices:\n  - tag: acme/broken:1\n    env: {MESHDEPLOY_LOCAL_CRASH: "7"}\n  - tag: acme/ok:1\n';

describe("health after an interrupted wait (H2)", { timeout: 120_000 }, () => {
  const tempDir = suiteTempDirs("health");

  for (const platform of ["0.39.9", "0.50.1"]) {
    it(`${platform}: SIGKILL during the wait, then apply exits 1 twice, naming the crash loop`, async () => {
      const dir = await tempDir();
      await writeFile(path.join(dir, ".meshdeploy.yaml"), CONFIG);
      const args = ["apply", "--local", "--yes", "--platform", platform];
      const child = spawnBinary(args, dir);
      const exit = finished(child);
      await waitForOutput(child, /waiting until it runs/);
      child.kill("SIGKILL");
      assert.equal((await exit).signal, "SIGKILL");

      for (const run of [2, 3]) {
        const result = await runBinaryAsync(args, dir);
        const output = result.stdout + result.stderr;
        assert.equal(result.code, 1, `run ${run}:\n${output}`);
        assert.match(output, /✗ acme-broken \(room dev\) is not live: crashloop, state restarting, \d+ restarts?, last exit code 7/, `run ${run}`);
        assert.match(output, /local room: container exited with code 7/, `run ${run}: the last log lines`);
        assert.doesNotMatch(output, /acme-ok \(room dev\) is not live/, `run ${run}`);
      }
    });
  }
});
