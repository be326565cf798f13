// sync --repo https://user:TOKEN@… (audit M1): the token reaches the git server, and nowhere else —
// not the clone's .git/config (nor any file of the clone), not git's argv; a clone that an older
// meshdeploy made with the token in its stored remote is cleaned; `.meshdeploy/` is private.
// The server is a dumb-HTTP git server on loopback that refuses requests without the credential.
import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { SyncRepo } from "../../../src/loops/sync/sync-repo.js";
import { remoteAuth } from "../../../src/git/remote-auth.js";
import { ignoreStateDir } from "../../../src/state-dir.js";
import { suiteTempDirs } from "../../helpers/temp-dirs.js";

const TOKEN = "ghp_GitTokenLEAK0123456789";
const USER = "x-access-token";

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd, encoding: "utf8", env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@e", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@e" } });
}

/** Every file under `dir`, with its text. */
function filesUnder(dir: string): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push({ file: path.join(entry.parentPath, entry.name), text: readFileSync(path.join(entry.parentPath, entry.name), "latin1") });
  }
  return out;
}

describe("sync: git credentials never at rest, never in argv", () => {
  const tempDir = suiteTempDirs("sync-cred");
  let work: string;
  let server: Server;
  let base: string;
  const seen: (string | undefined)[] = [];
  let argvLog: string;
  const savedPath = process.env["PATH"];

  before(async () => {
    work = await tempDir();
    const bare = path.join(work, "served", "repo.git");
    mkdirSync(path.dirname(bare), { recursive: true });
    git(work, "init", "-q", "--bare", bare);
    const src = path.join(work, "src");
    git(work, "init", "-q", "-b", "main", src);
    writeFileSync(path.join(src, ".meshdeploy.yaml"), "version: 1\nroom: dev\nservices: []\n");
    git(src, "add", ".");
    git(src, "commit", "-q", "-m", "one");
    git(src, "push", "-q", bare, "main");
    git(bare, "update-server-info");
    const expected = `Basic ${Buffer.from(`${USER}:${TOKEN}`).toString("base64")}`;
    server = createServer((req, res) => {
      seen.push(req.headers.authorization);
      if (req.headers.authorization !== expected) return void res.writeHead(401, { "www-authenticate": 'Basic realm="git"' }).end();
      const file = path.join(work, "served", decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname));
      try {
        res.end(readFileSync(file));
      } catch {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // A `git` first on PATH that logs its argv, then runs the real one.
    const shims = path.join(work, "shims");
    mkdirSync(shims);
    argvLog = path.join(work, "argv.log");
    const realGit = execFileSync("sh", ["-c", "command -v git"], { encoding: "utf8" }).trim();
    writeFileSync(path.join(shims, "git"), `#!/bin/sh\nprintf '%s\\n' "$*" >> ${JSON.stringify(argvLog)}\nexec ${JSON.stringify(realGit)} "$@"\n`);
    chmodSync(path.join(shims, "git"), 0o755);
    process.env["PATH"] = `${shims}:${savedPath}`;
  });
  after(() => {
    process.env["PATH"] = savedPath;
    server.close();
  });

  it("clones and fetches with the credential sent as a header; no file of the clone and no argv holds it", async () => {
    const dir = path.join(work, "proj", ".meshdeploy", "sync", "0123456789abcdef");
    ignoreStateDir(dir);
    const repo = new SyncRepo({ url: `http://${USER}:${TOKEN}@${base.slice("http://".length)}/repo.git`, ref: "main", dir });
    const head = await repo.fetch();
    assert.equal(head.subject, "one");
    assert.equal((await repo.fetch()).sha, head.sha, "a second fetch authenticates too");
    assert.ok(seen.length > 0 && seen.every((h) => h !== undefined), "every request carried the credential");
    const leaks = filesUnder(path.join(work, "proj")).filter((f) => f.text.includes(TOKEN) || f.text.includes(Buffer.from(`${USER}:${TOKEN}`).toString("base64")));
    assert.deepEqual(leaks.map((f) => f.file), [], "no file holds the token");
    assert.equal(git(dir, "config", "--get", "remote.origin.url").trim(), `${base}/repo.git`);
    const argv = readFileSync(argvLog, "utf8");
    assert.match(argv, /clone/);
    assert.equal(argv.includes(TOKEN), false, "the token never appears in git's argv");
    assert.equal(statSync(path.join(work, "proj", ".meshdeploy")).mode & 0o777, 0o700, ".meshdeploy is private");
    assert.equal(statSync(dir).mode & 0o777, 0o700);
  });

  it("an existing clone whose stored remote holds the credential is cleaned, and still fetches", async () => {
    const dir = path.join(work, "old", ".meshdeploy", "sync", "fedcba9876543210");
    mkdirSync(path.dirname(dir), { recursive: true, mode: 0o755 });
    chmodSync(path.join(work, "old", ".meshdeploy"), 0o755);
    const url = `http://${USER}:${TOKEN}@${base.slice("http://".length)}/repo.git`;
    // What meshdeploy did before (asynchronously: this process serves the repository).
    await promisify(execFile)("git", ["clone", "-q", "--no-checkout", url, dir], { cwd: path.dirname(dir) });
    assert.ok(readFileSync(path.join(dir, ".git", "config"), "utf8").includes(TOKEN), "the old clone holds the token");
    ignoreStateDir(dir);
    const repo = new SyncRepo({ url, ref: "main", dir });
    assert.equal((await repo.fetch()).subject, "one");
    assert.equal(readFileSync(path.join(dir, ".git", "config"), "utf8").includes(TOKEN), false);
    assert.equal(statSync(path.join(work, "old", ".meshdeploy")).mode & 0o777, 0o700, "an existing .meshdeploy is tightened");
  });

  it("remoteAuth: userinfo becomes a header scoped to the origin; other URLs pass through", () => {
    const auth = remoteAuth("https://u%40x:p%3Aw@git.example:8443/a/b.git?x=1", { GIT_CONFIG_COUNT: "2" });
    assert.deepEqual(auth, {
      url: "https://git.example:8443/a/b.git?x=1",
      env: {
        GIT_CONFIG_COUNT: "3",
        GIT_CONFIG_KEY_2: "http.https://git.example:8443/.extraHeader",
        GIT_CONFIG_VALUE_2: `Authorization: Basic ${Buffer.from("u@x:p:w").toString("base64")}`,
      },
    });
    assert.deepEqual(remoteAuth("git@github.com:acme/deploy.git"), { url: "git@github.com:acme/deploy.git", env: {} });
    assert.deepEqual(remoteAuth("file:///srv/repo"), { url: "file:///srv/repo", env: {} });
    assert.deepEqual(remoteAuth("https://github.com/acme/deploy.git"), { url: "https://github.com/acme/deploy.git", env: {} });
  });
});
