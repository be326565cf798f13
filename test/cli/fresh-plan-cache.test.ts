// `plan` and `apply` (src/cli/commands/fresh-plan.ts) use the file-hash cache persisted in
// `.meshdeploy/` by the last run: a file whose size, mtime and inode are unchanged is not read
// again. Proved by rewriting a file in place with same-size content and its old mtime: the next
// plan still names the old context hash (the cached hash answered), while a real edit is seen.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { runInProcess } from "../helpers/capture-io.js";
import { testTempDir } from "../helpers/temp-dirs.js";

const CONFIG = "version: 1\nroom: dev\nowner: cache\nservices:\n  - tag: web:${CONTEXT_HASH}\n    build: ./web\n";

function setMtime(abs: string, secondsAgo: number): void {
  execFileSync("touch", ["-d", `@${Math.floor(Date.now() / 1000) - secondsAgo}`, abs]);
}

async function plannedTag(dir: string): Promise<string> {
  const planned = await runInProcess(["plan", "--local", "--platform", "0.39.9"], { cwd: dir });
  assert.equal(planned.code, 0, planned.stderr);
  const tag = /registry\.meshagent\.com\/local\/web:([0-9a-f]{12})\b/.exec(planned.stdout)?.[1];
  assert.ok(tag !== undefined, planned.stdout);
  return tag;
}

describe("plan reuses the persisted hash cache", () => {
  test("a same-stat rewrite is answered from the last plan's cache; an edit that changes the stat is seen", async (t) => {
    const dir = testTempDir(t, "plan-cache");
    mkdirSync(path.join(dir, "web"));
    writeFileSync(path.join(dir, ".meshdeploy.yaml"), CONFIG);
    writeFileSync(path.join(dir, "web", "Dockerfile"), "FROM scratch\nCOPY . /app\n");
    const app = path.join(dir, "web", "app.txt");
    writeFileSync(app, "one\n");
    setMtime(app, 60);
    setMtime(path.join(dir, "web", "Dockerfile"), 60);
    const first = await plannedTag(dir);

    const stamp = execFileSync("stat", ["-c", "%.9Y", app], { encoding: "utf8" }).trim();
    writeFileSync(app, "two\n"); // same inode and size
    execFileSync("touch", ["-d", `@${stamp}`, app]);
    assert.equal(await plannedTag(dir), first, "the cached hash answered: the file was not read again");

    setMtime(app, 30);
    assert.notEqual(await plannedTag(dir), first, "a changed mtime is a miss");
  });
});
