// `sync` run as a service by the built binary: --listen on loopback (port 0), --log-format json,
// a signed GitHub push webhook and SIGHUP each start a reconcile at once (the interval is an hour),
// /readyz turns ready after the first reconcile, /metrics names the deployed commit, and a steady
// state is not logged again. Ctrl-C exits 130.
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { spawnBinary, waitForOutput } from "../helpers/binary.js";
import { initRepo, type TestRepo } from "../helpers/git-repo.js";
import { suiteTempDirs } from "../helpers/temp-dirs.js";
import { waitFor } from "../helpers/wait.js";

const SECRET = "hook-secret-8f2e";
const config = (level: string) => `version: 1
room: ops
owner: ops
services:
  - tag: acme/web:1
    template: none
    env: {LEVEL: "${level}"}
`;

describe("sync as a service (the binary)", { timeout: 120_000 }, () => {
  const tempDir = suiteTempDirs("sync-service");
  let dir: string;
  let work: TestRepo;
  let child: ReturnType<typeof spawnBinary>;
  let out = "";
  let base = "";
  const events = (): Record<string, any>[] => out.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l));
  const cycleFor = (sha: string) => events().find((e) => e["event"] === "cycle" && e["commit"]?.sha === sha);

  before(async () => {
    dir = await tempDir();
    await initRepo(path.join(dir, "origin.git"), { bare: true });
    work = await initRepo(path.join(dir, "work"));
    await work.git.addRemote("origin", `file://${path.join(dir, "origin.git")}`);
    await work.commit({ ".meshdeploy.yaml": config("1") }, "level 1");
    await work.git.push("origin", "main");
    child = spawnBinary(["sync", "--repo", `file://${path.join(dir, "origin.git")}`, "--interval", "3600", "--local", "--no-wait", "--listen", "127.0.0.1:0", "--log-format", "json"], dir, { MESHDEPLOY_WEBHOOK_SECRET: SECRET });
    child.stdout.on("data", (d) => (out += String(d)));
  });
  after(() => {
    if (child.exitCode === null) child.kill("SIGKILL");
  });

  it("listens, reconciles the head, and /readyz turns ready", async () => {
    await waitForOutput(child, /"event":"listening"/, 1, 60_000);
    base = events().find((e) => e["event"] === "listening")!["url"];
    assert.match(base, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal((await fetch(`${base}/healthz`)).status, 200);
    await waitForOutput(child, /"event":"cycle"/, 1, 60_000);
    const first = events().find((e) => e["event"] === "cycle")!;
    assert.equal(first["outcome"], "applied", JSON.stringify(first));
    assert.match(first["time"], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal((await fetch(`${base}/readyz`)).status, 200);
  });

  it("a signed push webhook reconciles the new commit at once; an unsigned one is refused", async () => {
    const sha = await work.commit({ ".meshdeploy.yaml": config("2") }, "level 2");
    await work.git.push("origin", "main");
    const body = JSON.stringify({ ref: "refs/heads/main", after: sha });
    const unsigned = await fetch(`${base}/hooks/github`, { method: "POST", headers: { "x-github-event": "push" }, body });
    assert.equal(unsigned.status, 401);
    const signature = `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`;
    const signed = await fetch(`${base}/hooks/github`, { method: "POST", headers: { "x-github-event": "push", "x-hub-signature-256": signature }, body });
    assert.equal(signed.status, 202);
    await waitFor("the pushed commit's cycle", () => cycleFor(sha) !== undefined, 60_000);
    assert.equal(cycleFor(sha)!["outcome"], "applied");
    assert.equal(cycleFor(sha)!["applied"]["updated"], 1);
    assert.equal(out.includes(SECRET), false);
  });

  it("SIGHUP reconciles at once; a steady state is not logged again; /metrics names the deployed commit", async () => {
    const sha = await work.commit({ ".meshdeploy.yaml": config("3") }, "level 3");
    await work.git.push("origin", "main");
    child.kill("SIGHUP");
    await waitFor("the SIGHUP cycle", () => cycleFor(sha) !== undefined, 60_000);
    const metrics = async () => (await fetch(`${base}/metrics`)).text();
    assert.ok((await metrics()).includes(`meshdeploy_sync_last_applied_commit_info{commit="${sha}"} 1`));
    // Nothing changed now: the first up-to-date cycle is a change of state and logged, the next is
    // counted but prints no line.
    const upToDate = () => events().filter((e) => e["event"] === "cycle" && e["outcome"] === "up-to-date").length;
    for (const count of [1, 2]) {
      child.kill("SIGHUP");
      await waitFor(`up-to-date cycle ${count} counted`, async () => (await metrics()).includes(`meshdeploy_sync_reconciles_total{outcome="up-to-date"} ${count}`), 60_000);
    }
    assert.equal(upToDate(), 1, out);
    assert.equal(events().filter((e) => e["event"] === "triggered" && e["by"] === "SIGHUP").length, 3);
  });

  it("Ctrl-C stops it with exit 130", async () => {
    const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    child.kill("SIGINT");
    assert.equal(await exit, 130);
    assert.equal(events().at(-1)!["event"], "stopped");
  });
});
