// The MeshAgent target against the real local room, with a faulty proxy in front where a test
// needs the network to lie: a POST that lands but whose answer is lost is never repeated blindly.
import assert from "node:assert/strict";
import { createServer, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { MeshagentTarget } from "../../src/platform/meshagent-target.js";
import type { RetryPolicy } from "../../src/platform/retry.js";
import { type Harness, startHarness, TOKEN } from "../helpers/local-room.js";

const noWait: RetryPolicy = { attempts: 3, baseMs: 1, maxMs: 1, maxRetryAfterMs: 1, random: () => 0, sleep: async () => {}, now: Date.now };

type Fault = "none" | "refuse" | "lose-answer";

/** Forwards to `upstream`; a fault refuses a request before forwarding it (503) or loses its answer (502). */
function proxy(upstream: string, fault: (method: string, n: number) => Fault): Promise<{ url: string; close(): void }> {
  let n = 0;
  const server = createServer((req, res) => {
    const count = ++n;
    const kind = fault(req.method ?? "", count);
    if (kind === "refuse") return void req.resume().on("end", () => res.writeHead(503).end("try later"));
    const forward = httpRequest(upstream + req.url, { method: req.method, headers: req.headers }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on("data", (c: Buffer) => chunks.push(c));
      answer.on("end", () => {
        if (kind === "lose-answer") res.writeHead(502).end("bad gateway");
        else res.writeHead(answer.statusCode ?? 500, answer.headers).end(Buffer.concat(chunks));
      });
    });
    req.pipe(forward);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() })));
}

const body = (name: string, hash: string) => ({
  version: "v1",
  kind: "Service",
  metadata: { name, annotations: { "meshdeploy.spec-hash": hash } },
  container: { image: "x:1" },
});

describe("MeshagentTarget", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ platform: "0.39.9" });
  });
  after(() => h.close());

  it("a POST whose answer is lost is found by re-listing, not sent twice", async () => {
    const p = await proxy(h.room.url, (method, n) => (method === "POST" && n === 1 ? "lose-answer" : "none"));
    const target = new MeshagentTarget({ apiUrl: p.url, token: TOKEN, projectId: "local", retry: noWait });
    const id = (await target.createService("dev", body("lost-answer", "h1"))).id;
    const listed = (await target.listServices("dev")).filter((s) => s.metadata.name === "lost-answer");
    assert.equal(listed.length, 1);
    assert.equal(listed[0]?.id, id);
    assert.equal(h.room.requestLog.filter((r) => r.method === "POST" && r.path.endsWith("/rooms/dev/services")).length, 1);
    await target.close();
    p.close();
  });

  it("a POST refused before landing is sent again after the re-list finds nothing", async () => {
    const p = await proxy(h.room.url, (method, n) => (method === "POST" && n === 1 ? "refuse" : "none"));
    const target = new MeshagentTarget({ apiUrl: p.url, token: TOKEN, projectId: "local", retry: noWait });
    const before = h.room.requestLog.length;
    const id = (await target.createService("dev", body("refused-once", "h2"))).id;
    const log = h.room.requestLog.slice(before).map((r) => `${r.method} ${r.status}`);
    // Listed at once and again after a pause (a late-forwarded POST), sent, then checked for a late copy.
    assert.deepEqual(log, ["GET 200", "GET 200", "POST 200", "GET 200"]);
    assert.deepEqual((await target.listServices("dev")).filter((s) => s.metadata.name === "refused-once").map((s) => s.id), [id]);
    await target.close();
    p.close();
  });

  it("a PUT whose every answer is lost but which landed is a success (found by its spec-hash); one that never landed fails", async () => {
    const id = (await h.target().createService("dev", body("put-lost", "v1"))).id;
    const lose = await proxy(h.room.url, (method) => (method === "PUT" ? "lose-answer" : "none"));
    const refuse = await proxy(h.room.url, (method) => (method === "PUT" ? "refuse" : "none"));
    const target = new MeshagentTarget({ apiUrl: lose.url, token: TOKEN, projectId: "local", retry: noWait });
    const refused = new MeshagentTarget({ apiUrl: refuse.url, token: TOKEN, projectId: "local", retry: noWait });
    try {
      await target.updateService("dev", id, { ...body("put-lost", "v2"), id });
      await assert.rejects(refused.updateService("dev", id, { ...body("put-lost", "v3"), id }), /PUT .*→ 503/);
      assert.equal((await h.target().listServices("dev")).find((s) => s.id === id)?.metadata.annotations?.["meshdeploy.spec-hash"], "v2");
    } finally {
      await target.close();
      await refused.close();
      lose.close();
      refuse.close();
    }
  });

  it("a room connect whose answer is lost is asked again (it only mints a token)", async () => {
    let connects = 0;
    const p = await proxy(h.room.url, (method) => (method === "POST" && ++connects === 1 ? "lose-answer" : "none"));
    const target = new MeshagentTarget({ apiUrl: p.url, token: TOKEN, projectId: "local", retry: noWait });
    try {
      const session = await target.room("dev");
      assert.ok((await session.serviceStates()) instanceof Map);
      assert.equal(connects, 2);
    } finally {
      await target.close();
      p.close();
    }
  });

  it("a service of the same name with another spec-hash is a conflict, not a success", async () => {
    const target = h.target();
    await target.createService("dev", body("taken", "theirs"));
    await assert.rejects(target.createService("dev", body("taken", "ours")), /appeared in room dev while meshdeploy was creating it/);
  });

  it("a missing room is E_ROOM_NOT_FOUND with a hint that names `local serve --room`", async () => {
    await assert.rejects(h.target().listServices("nope"), (e: Error & { code: string; hint: string }) => e.code === "E_ROOM_NOT_FOUND" && /--local/.test(e.hint) && /`meshdeploy local serve`, start it with `--room nope`/.test(e.hint));
  });

  it("an unknown project is E_PROJECT_NOT_FOUND with a hint saying where the id came from, for naming and for a room", async () => {
    const wrong = new MeshagentTarget({ apiUrl: h.room.url, token: TOKEN, projectId: "nope" });
    try {
      const refused = (e: Error & { code: string; hint: string }) =>
        e.code === "E_PROJECT_NOT_FOUND" && e.message.startsWith(`project "nope" not found at ${h.room.url}`) && /`project:` in the config, else MESHAGENT_PROJECT_ID, else the API key/.test(e.hint);
      await assert.rejects(wrong.namingContext(), refused);
      await assert.rejects(wrong.listServices("dev"), refused);
    } finally {
      await wrong.close();
    }
  });

  it("reads the project registry and key for tag shorthand", async () => {
    assert.deepEqual(await h.target().namingContext(), { projectRegistry: "registry.meshagent.com", projectKey: "local" });
  });

  it("routes: create, conflict, update, list, delete", async () => {
    const t = h.target();
    const route = { domain: "a.example.com", room_name: "dev", port: "8000", annotations: { "meshagent.service.id": "x" } };
    assert.equal(await t.createRoute(route), "created");
    assert.equal(await t.createRoute(route), "conflict");
    await t.updateRoute({ ...route, port: "9000" });
    assert.deepEqual(await t.getRoute("a.example.com"), { ...route, port: "9000" });
    assert.deepEqual((await t.listRoomRoutes("dev")).map((r) => r.domain), ["a.example.com"]);
    await t.deleteRoute("a.example.com");
    assert.equal(await t.getRoute("a.example.com"), null);
    await t.deleteRoute("a.example.com");
  });
});
