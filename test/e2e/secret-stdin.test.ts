// The built binary reads a secret's value from its stdin (piped), stores it, and prints it nowhere;
// with stdin a terminal it would not read it (covered in-process: test/integration/secret-command).
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { finished, spawnBinary } from "../helpers/binary.js";
import { call, PID, startHarness, TOKEN, type Harness } from "../helpers/local-room.js";
import { forEachPlatform } from "../helpers/platforms.js";

const VALUE = "piped-secret-value-0123";

forEachPlatform("e2e: secret set from a pipe", (platform) => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ platform });
  });
  after(() => h.close());

  it("stores the piped value and never prints it", async () => {
    const owner = platform === "0.39.9" ? ["--room", "dev", "--identity", "web"] : ["--run-as", (await call(h.room.url, "POST", `/accounts/projects/${PID}/service-accounts`, { name: "web" })).body.email];
    const child = spawnBinary(["secret", "set", "api-key", ...owner, "--api-url", h.room.url], h.projectDir, { MESHAGENT_API_KEY: TOKEN, MESHAGENT_PROJECT_ID: PID });
    child.stdin.end(`${VALUE}\n`);
    const result = await finished(child);
    assert.equal(result.code, 0, result.stderr);
    assert.ok(!(result.stdout + result.stderr).includes(VALUE));
    if (platform === "0.39.9") {
      const stored = await call(h.room.url, "GET", `/accounts/projects/${PID}/rooms/dev/secrets/api-key?for_identity=web`);
      assert.equal(Buffer.from(stored.body.data_base64, "base64").toString(), VALUE);
    } else {
      assert.match(result.stderr, /Created secret api-key of service account /);
    }
  });
});
