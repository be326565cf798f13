// watch --service: only the targeted services' contexts are watched and built; an edit in another
// context starts no cycle (checked with a barrier: the next cycle holds only the targeted edit).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { WatchReport } from "../../../src/loops/watch/session.js";
import { builtTags, deadline, startWatchProject, triggerFiles, type WatchProject } from "./helpers.js";

const FILES = {
  ".meshdeploy.yaml": `version: 1
room: dev
owner: watch-targets
services:
  - tag: web:1
    build: ./web
  - tag: api:1
    build: ./api
`,
  "web/Dockerfile": 'FROM node:20-alpine\nCOPY . /app\nCMD ["node", "/app/app.js"]\n',
  "web/app.js": "console.log(1)\n",
  "api/Dockerfile": 'FROM python:3.12-slim\nCOPY . /app\nCMD ["python", "/app/app.py"]\n',
  "api/app.py": "print(1)\n",
};

describe("watch with targeting", { timeout: 60_000 }, () => {
  let w: WatchProject;
  before(async () => {
    w = await startWatchProject({ files: FILES, debounceMs: 100, targets: { services: ["web"], rooms: [], exclude: [] } });
  });
  after(() => w.close());

  it("watches and builds only the targeted context", async () => {
    const end = await deadline(w.cycleEnd(1), 30_000, "first cycle");
    assert.equal(end.outcome.error, null, end.outcome.error?.message);
    assert.deepEqual(builtTags(w.room, 0), ["web:1"]);
    assert.deepEqual(end.outcome.plan?.services.map((s) => s.name), ["local-web"]);
    assert.deepEqual(end.outcome.plan?.targets, { services: ["web"], rooms: [], exclude: [] });
    const watching = w.reports.find((r): r is Extract<WatchReport, { type: "watching" }> => r.type === "watching");
    assert.equal(watching?.contexts, 1);
  });

  it("an edit outside the targets starts no cycle", async () => {
    const builds = w.room.builds().length;
    await w.write({ "api/app.py": "print(2)\n" });
    await w.write({ "web/app.js": "console.log(2)\n" });
    const end = await deadline(w.cycleEnd(2), 30_000, "cycle 2");
    assert.deepEqual(triggerFiles(end, w.dir), ["web/app.js"]);
    assert.deepEqual(builtTags(w.room, builds), ["web:1"]);
  });
});
