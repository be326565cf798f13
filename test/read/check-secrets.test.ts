// The secrets pre-flight on 0.45+: runAs.email resolves to a service account, each referenced id
// is looked up there; one error lists every missing secret (and a missing account), nothing is
// changed; with every secret present the apply goes ahead. 0.39 keeps the room-secret check.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { loadConfig } from "../../src/config/load.js";
import type { MeshdeployError } from "../../src/errors.js";
import { MeshagentTarget } from "../../src/platform/meshagent-target.js";
import { applyRun, planDesired } from "../../src/reconcile.js";
import { call, PID, serviceAccountWithSecret, startTestRoom, TOKEN, type TestRoom } from "../helpers/local-room.js";
import { suiteTempDirs } from "../helpers/temp-dirs.js";
import { writeFile } from "node:fs/promises";
import path from "node:path";

describe("secrets pre-flight at 0.50.1", () => {
  let t: TestRoom;
  let email: string;
  let secretId: string;
  const tempDir = suiteTempDirs("secrets-050");
  before(async () => {
    t = await startTestRoom({ platform: "0.50.1", rooms: ["dev"] });
    ({ email, secretId } = await serviceAccountWithSecret(t.room.url, "api-bot", "db"));
  });
  after(() => t.dispose());

  async function run(secrets: Record<string, string>, runAs: string) {
    const file = path.join(await tempDir(), ".meshdeploy.yaml");
    const entries = Object.entries(secrets).map(([k, v]) => `${k}: ${v}`).join(", ");
    await writeFile(file, `version: 1\nroom: dev\nowner: sec\nservices:\n  - tag: sec/api:1\n    secrets: {${entries}}\n    runAs: {email: "${runAs}"}\n`);
    const target = new MeshagentTarget({ apiUrl: t.room.url, token: TOKEN, projectId: PID });
    try {
      const reconciliation = await planDesired(target, await loadConfig(file));
      return await applyRun(target, reconciliation, { concurrency: 1, wait: false });
    } finally {
      await target.close();
    }
  }

  it("lists every missing secret and a missing account, and writes nothing", async () => {
    await assert.rejects(run({ DB: secretId, API: "sec_nope" }, email), (error: MeshdeployError) => {
      assert.equal(error.code, "E_SECRETS");
      assert.match(error.message, /^1 referenced secret does not exist; nothing was changed:\n {2}sec-api \(room dev\): API → secret sec_nope of service account /);
      assert.match(error.hint ?? "", /service account/);
      assert.ok(error.message.includes(`meshdeploy secret set sec_nope --run-as ${email.toLowerCase()}`), error.message);
      return true;
    });
    await assert.rejects(run({ DB: secretId }, "nobody@example.test"), /secret .* of service account nobody@example\.test \(no such service account\)/);
    const listed = await call(t.room.url, "GET", `/accounts/projects/${PID}/rooms/dev/services`);
    assert.deepEqual(listed.body.services, []);
  });

  it("goes ahead when every secret exists (the email matched case-insensitively)", async () => {
    const result = await run({ DB: secretId }, email.toUpperCase());
    assert.equal(result.summary.created, 1);
  });
});
