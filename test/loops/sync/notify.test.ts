// Sync notifications against a fake GitHub API and a fake webhook receiver on loopback: the
// commit status request GitHub documents, posted once per state; the generic JSON webhook; and
// failures (an error status, a dead port, no answer) reported as text, never thrown.
import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { commitStatus, createNotifier, githubRepoOf } from "../../../src/loops/sync/notify.js";
import type { CycleReport } from "../../../src/loops/sync/sync-loop.js";
import { runInProcess } from "../../helpers/capture-io.js";
import { initRepo } from "../../helpers/git-repo.js";
import { suiteTempDirs } from "../../helpers/temp-dirs.js";

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: any;
}

const head = { sha: "e".repeat(40), subject: "ship it" };
const plan = { owner: "o", prune: false, services: [], problems: [], orphans: [], summary: { create: 0, update: 0, delete: 0, noop: 1 } };
const upToDate: CycleReport = { head, outcome: "up-to-date", reconciled: { commit: head, what: "up-to-date", plan, result: null } };

describe("sync notifications", () => {
  let server: Server;
  let base: string;
  const seen: Seen[] = [];
  let status = 201;
  before(async () => {
    server = createServer((req, res) => {
      let text = "";
      req.on("data", (d) => (text += String(d)));
      req.on("end", () => {
        seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: text ? JSON.parse(text) : null });
        if (req.url === "/hang") return; // never answers
        res.writeHead(req.url?.startsWith("/broken") ? 500 : status, { "content-type": "application/json" });
        res.end("{}");
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const tempDir = suiteTempDirs("notify");

  it("maps outcomes to commit states", () => {
    assert.deepEqual(commitStatus(upToDate), { sha: head.sha, state: "success", description: "deployed, up to date" });
    assert.equal(commitStatus({ head, outcome: "skipped", skipped: { diagnostics: [], source: null, error: null, repeated: false, why: "invalid-config" } })?.state, "failure");
    assert.equal(commitStatus({ head, outcome: "failed", error: new Error("room gone") })?.state, "error");
    assert.equal(commitStatus({ head, outcome: "suspended" })?.state, "pending");
    assert.equal(commitStatus({ head, outcome: "interrupted" }), null);
    assert.equal(commitStatus({ head: null, outcome: "failed" }), null);
  });

  it("finds OWNER/REPO in https, scp-like ssh and ssh URLs, not in file URLs", () => {
    assert.equal(githubRepoOf("https://github.com/acme/deploy.git"), "acme/deploy");
    assert.equal(githubRepoOf("https://x-access-token:t@github.com/acme/deploy"), "acme/deploy");
    assert.equal(githubRepoOf("git@github.com:acme/deploy.git"), "acme/deploy");
    assert.equal(githubRepoOf("ssh://git@github.example.com/acme/deploy.git"), "acme/deploy");
    assert.equal(githubRepoOf("file:///srv/deploy.git"), null);
  });

  it("posts the commit status GitHub documents, once per state, and the JSON webhook every time", async () => {
    seen.length = 0;
    const notifier = createNotifier({ webhooks: [`${base}/hook`], github: { apiUrl: `${base}/api/`, repo: "acme/deploy", token: "ghs_secret" } });
    assert.deepEqual(await notifier.send(upToDate, { outcome: "up-to-date" }), []);
    const statusCall = seen.find((s) => s.url.startsWith("/api"))!;
    assert.equal(statusCall.method, "POST");
    assert.equal(statusCall.url, `/api/repos/acme/deploy/statuses/${head.sha}`);
    assert.equal(statusCall.headers.authorization, "Bearer ghs_secret");
    assert.equal(statusCall.headers.accept, "application/vnd.github+json");
    assert.deepEqual(statusCall.body, { state: "success", context: "meshdeploy/sync", description: "deployed, up to date" });
    assert.deepEqual(seen.find((s) => s.url === "/hook")!.body, { outcome: "up-to-date" });
    await notifier.send(upToDate, { outcome: "up-to-date" });
    assert.equal(seen.filter((s) => s.url.startsWith("/api")).length, 1, "the same state is not posted again");
    assert.equal(seen.filter((s) => s.url === "/hook").length, 2);
  });

  it("every string sent is redacted (a credential echoed in an error never leaves)", async () => {
    seen.length = 0;
    const notifier = createNotifier({ webhooks: [`${base}/hook`], github: { apiUrl: base, repo: "acme/deploy", token: "t" }, redact: (text) => text.split("sk-live-123456").join("***") });
    const failed: CycleReport = { head, outcome: "failed", error: new Error("server said: bad key sk-live-123456") };
    await notifier.send(failed, { error: "server said: bad key sk-live-123456", nested: ["sk-live-123456"] });
    assert.deepEqual(seen.find((s) => s.url === "/hook")!.body, { error: "server said: bad key ***", nested: ["***"] });
    assert.equal(seen.find((s) => s.url.includes("/statuses/"))!.body.description, "failed: server said: bad key ***");
  });

  it("failures come back as text: an error status, a refused connection, no answer in time", async () => {
    const dead = createServer();
    await new Promise<void>((resolve) => dead.listen(0, "127.0.0.1", resolve));
    const deadUrl = `http://127.0.0.1:${(dead.address() as AddressInfo).port}/x`;
    await new Promise<void>((resolve) => dead.close(() => resolve()));
    const notifier = createNotifier({ webhooks: [`${base}/broken`, deadUrl, `${base}/hang`], github: null, timeoutMs: 300 });
    const failures = await notifier.send(upToDate, {});
    assert.equal(failures.length, 3, failures.join("\n"));
    assert.match(failures[0]!, /HTTP 500/);
    assert.match(failures[2]!, /no answer within 0.3s/);
  });

  it("sync --once --local: a status and a webhook; a failing notification does not fail the cycle", async () => {
    seen.length = 0;
    const dir = await tempDir();
    await initRepo(path.join(dir, "origin.git"), { bare: true });
    const work = await initRepo(path.join(dir, "work"));
    await work.git.addRemote("origin", `file://${path.join(dir, "origin.git")}`);
    const sha = await work.commit({ ".meshdeploy.yaml": "version: 1\nroom: n\nowner: n\nservices:\n  - tag: acme/web:1\n    template: none\n" }, "first");
    await work.git.push("origin", "main");
    const r = await runInProcess(
      ["sync", "--repo", `file://${path.join(dir, "origin.git")}`, "--once", "--local", "--no-wait", "--notify", `${base}/hook`, "--notify", `${base}/broken`, "--github-status", "--github-repo", "acme/deploy", "--github-api-url", `${base}/api`],
      { cwd: dir, env: { GITHUB_TOKEN: "ghs_cli_secret" } },
    );
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /notification failed \(the cycle is unaffected\): notify http:\/\/127\.0\.0\.1:\d+: HTTP 500/);
    assert.equal(seen.find((s) => s.url === `/api/repos/acme/deploy/statuses/${sha}`)?.body.state, "success");
    assert.equal(seen.find((s) => s.url === "/hook")?.body.outcome, "applied");
    assert.equal((r.stdout + r.stderr).includes("ghs_cli_secret"), false);
    const noToken = await runInProcess(["sync", "--repo", "https://github.com/acme/deploy.git", "--once", "--github-status"], { cwd: dir });
    assert.equal(noToken.code, 1);
    assert.match(noToken.stderr, /--github-status needs a token in GITHUB_TOKEN/);
  });
});
