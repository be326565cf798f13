// A POST answered 504 by a gateway that forwards it later (audit L13, proxy case P8), against a
// server with NO name uniqueness: the client must not end up with two services of one name.
// Without a pause, the re-list finds nothing, the POST is sent again, the late original lands:
// two copies (only the real server's 409 saved it in the audit).
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, it } from "node:test";
import { MeshagentTarget } from "../../src/platform/meshagent-target.js";
import type { RetryPolicy } from "../../src/platform/retry.js";

const retry: RetryPolicy = { attempts: 4, baseMs: 1, maxMs: 2, maxRetryAfterMs: 10, random: () => 0.5, sleep: (ms) => new Promise((r) => setTimeout(r, ms)), now: Date.now };

/** Stores every POST (no name check); the first `late` POSTs are answered 504 and stored `lateMs` later. */
async function lenientServer(lateMs: number, late = 1): Promise<{ url: string; stored: { id: string; metadata: { name: string } }[]; server: Server }> {
  const stored: { id: string; metadata: { name: string } }[] = [];
  let posts = 0;
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      if (req.method === "GET") return void res.end(JSON.stringify({ services: stored }));
      if (req.method === "DELETE") {
        const id = req.url!.split("/").pop();
        stored.splice(stored.findIndex((s) => s.id === id), 1);
        return void res.end("{}");
      }
      const service = { ...(JSON.parse(body) as { metadata: { name: string } }), id: `svc-${++posts}` };
      if (posts <= late) {
        setTimeout(() => stored.push(service), lateMs);
        return void res.writeHead(504).end("gateway timeout");
      }
      stored.push(service);
      res.end(JSON.stringify({ id: service.id }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, stored, server };
}

const body = { version: "v1", kind: "Service", metadata: { name: "web", annotations: { "meshdeploy.spec-hash": "h1", "meshdeploy.owner": "o" } }, container: { image: "x" } };

describe("createService after a late-forwarded POST, without name uniqueness", () => {
  it("a POST that lands within the pause is found, not sent again", { timeout: 20_000 }, async () => {
    const s = await lenientServer(200);
    const target = new MeshagentTarget({ apiUrl: s.url, token: "tok_late_0123456789", projectId: "p", retry, settleMs: 600 });
    try {
      assert.deepEqual(await target.createService("dev", body), { id: "svc-1", byAnother: false });
      assert.deepEqual(s.stored.map((x) => x.id), ["svc-1"]);
    } finally {
      await target.close();
      s.server.close();
    }
  });

  it("one that lands after the POST was sent again is removed as our own extra copy", { timeout: 20_000 }, async () => {
    const s = await lenientServer(900);
    const target = new MeshagentTarget({ apiUrl: s.url, token: "tok_late_0123456789", projectId: "p", retry, settleMs: 600 });
    try {
      const created = await target.createService("dev", body);
      // On a slow machine the original may land before the second look: then it is found instead.
      assert.deepEqual(s.stored.map((x) => x.id), [created.id], "one service of the name: the late original was removed (or found)");
    } finally {
      await target.close();
      s.server.close();
    }
  });
});
