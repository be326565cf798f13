// sync --listen: health, readiness, Prometheus metrics (prom-client text format) and the GitHub
// push webhook, whose X-Hub-Signature-256 is verified. Loopback only, port chosen by the system.
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { CycleReport } from "../../../src/loops/sync/sync-loop.js";
import { SyncMetrics } from "../../../src/loops/sync/sync-metrics.js";
import { parseListen, startSyncServer, verifyGithubSignature, type SyncServer } from "../../../src/loops/sync/sync-server.js";
import { runInProcess } from "../../helpers/capture-io.js";
import { suiteTempDirs } from "../../helpers/temp-dirs.js";

const SECRET = "It's a Secret to Everybody";
const sign = (body: string, secret = SECRET) => `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
const commit = { sha: "c".repeat(40), subject: "add web" };

describe("sync server", () => {
  let server: SyncServer;
  const metrics = new SyncMetrics();
  const hooks: { event: string; ref: string | null }[] = [];
  let now = 1_000_000;

  before(async () => {
    server = await startSyncServer({
      host: "127.0.0.1",
      port: 0,
      ready: () => metrics.ready(now, 180_000),
      metrics: () => metrics.text(),
      webhookSecret: SECRET,
      onHook: ({ event, ref }) => hooks.push({ event, ref }),
    });
  });
  after(() => server.close());
  const tempDir = suiteTempDirs("sync-server");

  it("verifies GitHub's signature example and refuses anything else", () => {
    // The example from GitHub's "Validating webhook deliveries" documentation.
    assert.equal(verifyGithubSignature(SECRET, Buffer.from("Hello, World!"), "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"), true);
    assert.equal(verifyGithubSignature(SECRET, Buffer.from("Hello, World?"), "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"), false);
    assert.equal(verifyGithubSignature(SECRET, Buffer.from("x"), undefined), false);
    assert.equal(verifyGithubSignature(SECRET, Buffer.from("x"), "sha256=abcd"), false, "a short signature is refused, not compared");
    assert.equal(verifyGithubSignature(SECRET, Buffer.from("x"), sign("x").replace("sha256=", "sha1=")), false);
  });

  it("sync refuses a bad --listen or --log-format, and --listen with --once, before doing anything", async () => {
    const cwd = await tempDir();
    const bad = await runInProcess(["sync", "--repo", "file:///nowhere.git", "--listen", "9464"], { cwd });
    assert.match(bad.stderr, /--listen expects HOST:PORT, got "9464"/);
    const once = await runInProcess(["sync", "--repo", "file:///nowhere.git", "--listen", "127.0.0.1:0", "--once"], { cwd });
    assert.match(once.stderr, /cannot be combined with --once/);
    const format = await runInProcess(["sync", "--repo", "file:///nowhere.git", "--log-format", "xml"], { cwd });
    assert.match(format.stderr, /--log-format expects text or json, got "xml"/);
    for (const r of [bad, once, format]) assert.equal(r.code, 1);
  });

  it("parses --listen HOST:PORT", () => {
    assert.deepEqual(parseListen("127.0.0.1:9464"), { host: "127.0.0.1", port: 9464 });
    assert.deepEqual(parseListen("[::1]:80"), { host: "::1", port: 80 });
    assert.equal(parseListen("9464"), null);
    assert.equal(parseListen("127.0.0.1:70000"), null);
  });

  it("/healthz is up at once; /readyz is 503 until a reconcile succeeds, then 200, then 503 once stale", async () => {
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
    const notYet = await fetch(`${server.url}/readyz`);
    assert.equal(notYet.status, 503);
    assert.match(await notYet.text(), /no successful reconcile yet/);
    const report: CycleReport = { head: commit, outcome: "up-to-date", reconciled: { commit, what: "up-to-date", plan: { owner: "o", prune: false, services: [], problems: [], orphans: [], summary: { create: 0, update: 0, delete: 0, noop: 0 } }, result: null }, durationMs: 250 };
    metrics.record(report, now, false);
    assert.equal((await fetch(`${server.url}/readyz`)).status, 200);
    metrics.record({ head: commit, outcome: "failed", error: new Error("room gone"), durationMs: 10 }, now + 60_000, false);
    now += 181_000;
    assert.equal((await fetch(`${server.url}/readyz`)).status, 503, "no success for more than 3 intervals");
  });

  it("/metrics is Prometheus text with reconciles, failures, the duration histogram, health, the commit and drift", async () => {
    const res = await fetch(`${server.url}/metrics`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    for (const line of [
      'meshdeploy_sync_reconciles_total{outcome="up-to-date"} 1',
      'meshdeploy_sync_reconciles_total{outcome="failed"} 1',
      "meshdeploy_sync_reconcile_failures_total 1",
      'meshdeploy_sync_reconcile_duration_seconds_bucket{le="0.25"} 2',
      "meshdeploy_sync_reconcile_duration_seconds_count 2",
      'meshdeploy_sync_services{health="healthy"} 0',
      `meshdeploy_sync_last_applied_commit_info{commit="${commit.sha}"} 1`,
      "meshdeploy_sync_drift_corrections_total 0",
      "meshdeploy_sync_suspended 0",
    ]) assert.ok(text.split("\n").includes(line), `missing ${line} in:\n${text}`);
    assert.match(text, /# TYPE meshdeploy_sync_reconcile_duration_seconds histogram/);
  });

  it("POST /hooks/github: a signed push triggers; a bad, missing or other-secret signature is 401; ping is 200", async () => {
    const body = JSON.stringify({ ref: "refs/heads/main", after: "d".repeat(40) });
    const post = (headers: Record<string, string>, payload = body) => fetch(`${server.url}/hooks/github`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: payload });
    assert.equal((await post({ "x-github-event": "push" })).status, 401);
    assert.equal((await post({ "x-github-event": "push", "x-hub-signature-256": sign(body, "wrong") })).status, 401);
    assert.equal((await post({ "x-github-event": "push", "x-hub-signature-256": sign(body + " ") })).status, 401);
    assert.deepEqual(hooks, []);
    assert.equal((await post({ "x-github-event": "push", "x-hub-signature-256": sign(body) })).status, 202);
    assert.deepEqual(hooks, [{ event: "push", ref: "refs/heads/main" }]);
    assert.equal((await post({ "x-github-event": "ping", "x-hub-signature-256": sign("{}") }, "{}")).status, 200);
    assert.equal((await post({ "x-github-event": "issues", "x-hub-signature-256": sign(body) })).status, 202);
    assert.equal(hooks.length, 2, "an unrelated event does not trigger");
    assert.equal((await fetch(`${server.url}/hooks/github`)).status, 405);
    const big = "x".repeat(1024 * 1024 + 1);
    assert.equal((await post({ "x-github-event": "push", "x-hub-signature-256": sign(big) }, big).catch(() => ({ status: 413 }))).status, 413);
  });

  it("without a secret the webhook refuses every request", async (t) => {
    const open = await startSyncServer({ host: "127.0.0.1", port: 0, ready: () => ({ ok: true, reason: "" }), metrics: () => metrics.text(), webhookSecret: undefined, onHook: () => assert.fail("must not trigger") });
    t.after(() => open.close());
    const res = await fetch(`${open.url}/hooks/github`, { method: "POST", headers: { "x-github-event": "push" }, body: "{}" });
    assert.equal(res.status, 403);
  });
});
