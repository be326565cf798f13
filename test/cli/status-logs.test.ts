// `status`, `plan --health` and `logs`, in-process against the local room (--local, both
// generations): a crash loop shows as crashloop with its exit code, exits 1, and the JSON has the
// documented shape; logs prints the container's lines; plan without --health says it did not look.
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, it } from "node:test";
import { runInProcess } from "../helpers/capture-io.js";
import { suiteTempDirs } from "../helpers/temp-dirs.js";

const CONFIG = 'version: 1\nroom: dev\nowner: st\nservices:\n  - tag: acme/broken:1\n    env: {MESHDEPLOY_LOCAL_CRASH: "4", MESHDEPLOY_LOCAL_LOG: "broken: no DATABASE_URL"}\n  - tag: acme/ok:1\n';

describe("status, plan --health, logs", { timeout: 60_000 }, () => {
  const tempDir = suiteTempDirs("status");

  for (const platform of ["0.39.9", "0.50.1"]) {
    it(`${platform}: a crash loop is crashloop in status (exit 1) and in plan --health; logs prints its lines`, async () => {
      const cwd = await tempDir();
      await writeFile(path.join(cwd, ".meshdeploy.yaml"), CONFIG);
      const flags = ["--local", "--platform", platform];
      const applied = await runInProcess(["apply", "--yes", "--no-wait", ...flags], { cwd });
      assert.equal(applied.code, 0, applied.stdout + applied.stderr);

      const json = await runInProcess(["status", "-o", "json", ...flags], { cwd });
      assert.equal(json.code, 1, json.stderr);
      const status = JSON.parse(json.stdout) as { formatVersion: number; services: Record<string, unknown>[] };
      assert.equal(status.formatVersion, 1);
      const keys = ["room", "name", "health", "containerId", "restarts", "lastExitCode", "image", "digest", "gitSha", "owner", "sync"];
      for (const row of status.services) assert.deepEqual(Object.keys(row), keys);
      const [broken, ok] = status.services;
      assert.deepEqual({ ...broken, containerId: typeof broken!["containerId"], restarts: (broken!["restarts"] as number) > 0 }, {
        room: "dev", name: "acme-broken", health: "crashloop", containerId: "string", restarts: true, lastExitCode: 4, image: "acme/broken:1", digest: null, gitSha: null, owner: "st", sync: "in sync",
      });
      assert.equal(ok!["health"], "healthy");

      const human = await runInProcess(["status", ...flags], { cwd });
      assert.equal(human.code, 1);
      assert.match(human.stdout, /^dev +acme-broken +crashloop +\d+ +4 /m);

      const health = await runInProcess(["plan", "--health", ...flags], { cwd });
      assert.equal(health.code, 1);
      assert.match(health.stdout, /✗ acme-broken \(room dev\) is not live: crashloop/);
      assert.match(health.stdout, /\| broken: no DATABASE_URL/);
      const plain = await runInProcess(["plan", ...flags], { cwd });
      assert.equal(plain.code, 0);
      assert.match(plain.stderr, /Health not checked: plan reads specs only/);

      const logs = await runInProcess(["logs", "acme-broken", "--tail", "2", ...flags], { cwd });
      assert.equal(logs.code, 0, logs.stderr);
      assert.ok(logs.stdout.split("\n").length <= 2, logs.stdout);
      const all = await runInProcess(["logs", "acme-broken", ...flags], { cwd });
      assert.match(all.stdout, /broken: no DATABASE_URL/);
      const unknown = await runInProcess(["logs", "acme-nope", ...flags], { cwd });
      assert.equal(unknown.code, 1);
      assert.match(unknown.stderr, /room dev has no service named acme-nope/);
    });
  }

  it("0.50.1: a disabled service is disabled in the plan, in apply's health and in status, and fails nothing", async () => {
    const cwd = await tempDir();
    await writeFile(path.join(cwd, ".meshdeploy.yaml"), "version: 1\nroom: dev\nowner: dis\nservices:\n  - tag: acme/off:1\n    enabled: false\n  - tag: acme/on:1\n");
    const flags = ["--local", "--platform", "0.50.1"];
    const plan = await runInProcess(["plan", ...flags], { cwd });
    assert.match(plan.stdout, /acme-off  create .*\n.*disabled \(enabled: false\): written, never started or waited for/);
    const first = await runInProcess(["apply", "--yes", ...flags], { cwd });
    assert.equal(first.code, 0, first.stdout + first.stderr);
    assert.match(first.stdout, /- acme-off \(room dev\) disabled: enabled: false, not started and not waited for/);
    const again = await runInProcess(["apply", "--yes", ...flags], { cwd });
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.match(again.stdout, /No changes\. 2 services up to date\.\n- acme-off \(room dev\) disabled.*\nHealth: 1 checked service\(s\) live\./);
    const status = await runInProcess(["status", "-o", "json", ...flags], { cwd });
    assert.equal(status.code, 0, status.stdout);
    assert.deepEqual((JSON.parse(status.stdout) as { services: { name: string; health: string }[] }).services.map((s) => [s.name, s.health]), [["acme-off", "disabled"], ["acme-on", "healthy"]]);
  });
});
