// The target learns the server's version from GET /config (absent: 0.39), once, sharing the
// read with naming; --platform / platform: override it.
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { MeshagentTarget } from "../../src/platform/meshagent-target.js";
import { type Harness, startHarness, TOKEN } from "../helpers/local-room.js";

describe("platform detection", () => {
  let h: Harness;
  let fake: Server;
  let fakeUrl: string;
  let configAnswer: Record<string, unknown> = {};
  let configReads = 0;
  before(async () => {
    h = await startHarness({ platform: "0.39.9" });
    fake = createServer((request, response) => {
      response.setHeader("Content-Type", "application/json");
      if (request.url === "/config") {
        configReads += 1;
        response.end(JSON.stringify(configAnswer));
      } else if (request.url === "/accounts/projects/p") response.end(JSON.stringify({ id: "p", project_key: "acme" }));
      else {
        response.statusCode = 404;
        response.end("{}");
      }
    });
    await new Promise<void>((resolve) => fake.listen(0, "127.0.0.1", resolve));
    fakeUrl = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
  });
  after(async () => {
    await h.close();
    await new Promise((resolve) => fake.close(resolve));
  });

  const target = (platform?: { version: string; source: "flag" | "config" }): MeshagentTarget =>
    new MeshagentTarget({ apiUrl: fakeUrl, token: TOKEN, projectId: "p", ...(platform ? { platform } : {}) });

  it("a /config without version is a 0.39 server (the local room of that generation)", async () => {
    const p = await h.target().platform();
    assert.deepEqual(p, { version: "0.39.9", source: "server-without-version", generation: "0.39.9" });
  });

  it("the local room's default generation reports 0.50.1 (what users run today)", async () => {
    const current = await startHarness();
    try {
      assert.deepEqual(await current.target().platform(), { version: "0.50.1", source: "server", generation: "0.50.1" });
    } finally {
      await current.close();
    }
  });

  it("reads version from /config once, shared with the naming context", async () => {
    configAnswer = { version: "0.50.1", domains: { api: "api.example.test" } };
    configReads = 0;
    const t = target();
    const [p] = await Promise.all([t.platform(), t.namingContext(), t.platform()]);
    assert.deepEqual(p, { version: "0.50.1", source: "server", generation: "0.50.1" });
    assert.equal(configReads, 1);
    await t.close();
  });

  it("a garbled version is treated as current, with a warning", async () => {
    configAnswer = { version: "next" };
    const t = target();
    const p = await t.platform();
    assert.equal(p.generation, "0.50.1");
    assert.match(p.warning ?? "", /"next" is not a version/);
    await t.close();
  });

  it("an override wins without asking the server", async () => {
    configAnswer = { version: "0.50.1" };
    configReads = 0;
    const t = target({ version: "0.39.9", source: "flag" });
    assert.deepEqual(await t.platform(), { version: "0.39.9", source: "flag", generation: "0.39.9" });
    assert.equal(configReads, 0);
    await t.close();
  });
});
