// Registry repositories at platform 0.50.1: the listing pages with page_size/continuation_token and
// a small default page (2), so a client reading only the first page misses repositories; by-name
// look-ups. At 0.39.9 the listing is one unpaged answer and by-name does not exist.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import os from "node:os";
import path from "node:path";
import { startLocalRoom } from "../../src/local/server.js";
import { PID, startTestRoom, TOKEN, type TestRoom } from "../helpers/local-room.js";

const REPOSITORIES = `/accounts/projects/${PID}/repositories`;
const NAMES = ["acme/web", "acme/worker", "acme/cron"];

describe("local room 0.50.1: repositories", () => {
  let t: TestRoom;
  before(async () => {
    t = await startTestRoom({ platform: "0.50.1" });
    for (const name of NAMES) assert.equal((await t.api("POST", REPOSITORIES, { name })).status, 200);
  });
  after(() => t.dispose());

  it("answers a default page of 2 with total and a continuation token, then the rest", async () => {
    const first = await t.api("GET", REPOSITORIES);
    assert.deepEqual(first.body.repositories.map((r: { name: string }) => r.name), NAMES.slice(0, 2));
    assert.equal(first.body.total, 3);
    assert.equal(typeof first.body.continuation_token, "string");
    const rest = await t.api("GET", `${REPOSITORIES}?continuation_token=${first.body.continuation_token}`);
    assert.deepEqual(rest.body.repositories.map((r: { name: string }) => r.name), NAMES.slice(2));
    assert.equal(rest.body.continuation_token, null);
    const all = await t.api("GET", `${REPOSITORIES}?page_size=100&view=full`);
    assert.deepEqual(all.body.repositories.map((r: { name: string }) => r.name), NAMES);
    assert.equal((await t.api("GET", `${REPOSITORIES}?page_size=0`)).status, 400);
  });

  it("finds a repository by name (the client percent-encodes the slash)", async () => {
    const found = await t.api("GET", `${REPOSITORIES}/by-name/${encodeURIComponent("acme/cron")}`);
    assert.equal(found.status, 200);
    assert.equal(found.body.name, "acme/cron");
    assert.deepEqual(Object.keys(found.body), ["id", "project_id", "name", "description", "annotations", "created_at"]);
    const missing = await t.api("GET", `${REPOSITORIES}/by-name/${encodeURIComponent("acme/none")}`);
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.message, `repository "acme/none" not found in project "local"`);
  });

  it("takes a repositoryPageSize option and refuses a bad one", async () => {
    const wide = await startTestRoom({ platform: "0.50.1", repositoryPageSize: 10 });
    try {
      for (const name of NAMES) await wide.api("POST", REPOSITORIES, { name });
      assert.equal((await wide.api("GET", REPOSITORIES)).body.repositories.length, 3);
    } finally {
      await wide.dispose();
    }
    const never = path.join(os.tmpdir(), `meshdeploy-never-${process.pid}`);
    await assert.rejects(startLocalRoom({ dataDir: never, token: TOKEN, platform: "0.50.1", repositoryPageSize: 0 }), /repositoryPageSize must be an integer of at least 1, got 0/);
  });
});

describe("local room 0.39.9 (the default today): repositories", () => {
  it("lists every repository in one answer and has no by-name", async () => {
    const t = await startTestRoom({ platform: "0.39.9" });
    try {
      for (const name of NAMES) await t.api("POST", REPOSITORIES, { name });
      const listed = await t.api("GET", REPOSITORIES);
      assert.deepEqual(Object.keys(listed.body), ["repositories"]);
      assert.equal(listed.body.repositories.length, 3);
      assert.equal((await t.api("GET", `${REPOSITORIES}/by-name/${encodeURIComponent("acme/web")}`)).status, 404);
    } finally {
      await t.dispose();
    }
  });
});
