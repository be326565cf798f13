// The REST client's deadlines (audit M3): a server that trickles its answer one byte at a time
// resets undici's idle body timeout forever; the total per-request deadline and the run's
// --timeout must still end the request, naming it and the deadline.
import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { after, describe, it } from "node:test";
import { ApiError } from "../../src/errors.js";
import { parseFaultSpec, withSeed } from "../../src/local/faults/fault-spec.js";
import { HttpClient } from "../../src/platform/http-client.js";
import { MeshagentTarget } from "../../src/platform/meshagent-target.js";
import { startTestRoom, TOKEN as ROOM_TOKEN } from "../helpers/local-room.js";
import type { RetryPolicy } from "../../src/platform/retry.js";

const TOKEN = "tok_deadline_secret_0123";
const fastRetry: RetryPolicy = { attempts: 2, baseMs: 10, maxMs: 20, maxRetryAfterMs: 60_000, random: () => 0.5, sleep: (ms) => new Promise((r) => setTimeout(r, ms)), now: Date.now };

function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; count(): number; close(): void }> {
  let n = 0;
  const server = createServer((req, res) => {
    n++;
    handler(req, res);
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        count: () => n,
        close: () => {
          server.closeAllConnections();
          server.close();
        },
      }),
    ),
  );
}

/** Headers at once, then one byte of a JSON body every 50 ms, never finishing. */
function drip(_req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, { "content-type": "application/json" });
  res.write("[");
  const timer = setInterval(() => res.write(" "), 50);
  res.on("close", () => clearInterval(timer));
}

describe("HttpClient deadlines", () => {
  const closers: (() => void)[] = [];
  after(() => closers.forEach((c) => c()));

  it("ends a trickled answer at the per-request deadline and retries a GET once more", { timeout: 20_000 }, async () => {
    const s = await serve(drip);
    closers.push(s.close);
    const client = new HttpClient({ baseUrl: s.url, token: TOKEN, retry: fastRetry, requestTimeoutMs: 400 });
    const started = Date.now();
    await assert.rejects(client.send("GET", "/slow"), (e: ApiError) => {
      assert.equal(e.code, "E_API_NETWORK");
      assert.equal(e.message, "GET /slow: no complete answer within the per-request deadline of 0.4 s");
      return true;
    });
    assert.equal(s.count(), 2, "a GET that ran out of time is retried like a lost answer");
    assert.ok(Date.now() - started < 5_000, `bounded: ${Date.now() - started} ms`);
    await client.close();
  });

  it("stops at the run's deadline (--timeout), then sends nothing more", { timeout: 20_000 }, async () => {
    const s = await serve(drip);
    closers.push(s.close);
    const client = new HttpClient({ baseUrl: s.url, token: TOKEN, retry: fastRetry, deadline: { at: Date.now() + 500, seconds: 7 } });
    await assert.rejects(client.send("GET", "/services"), (e: ApiError) => {
      assert.equal(e.message, "GET /services: no complete answer within the run's deadline (--timeout 7)");
      assert.match(e.hint ?? "", /raise --timeout/);
      return true;
    });
    assert.equal(s.count(), 1, "no retry past the run's deadline");
    await assert.rejects(client.send("PUT", "/x", {}), { message: "PUT /x not sent: the run's deadline (--timeout 7) has passed" });
    assert.equal(s.count(), 1);
    await client.close();
  });

  it("reports the server's own failure when a retry could only start after the run's deadline", { timeout: 20_000 }, async () => {
    const s = await serve((_req, res) => void res.writeHead(503, { "retry-after": "30" }).end(JSON.stringify({ error: { message: "busy" } })));
    closers.push(s.close);
    const client = new HttpClient({ baseUrl: s.url, token: TOKEN, retry: { ...fastRetry, attempts: 4 }, deadline: { at: Date.now() + 5_000, seconds: 5 } });
    const started = Date.now();
    await assert.rejects(client.send("GET", "/x"), { status: 503, message: "GET /x → 503: busy" });
    assert.ok(Date.now() - started < 2_000, "no 30 s sleep toward a deadline it cannot meet");
    await client.close();
  });

  it("the run's deadline also ends a room RPC that gets no answer", { timeout: 30_000 }, async () => {
    const t = await startTestRoom({ platform: "0.39.9" });
    const target = new MeshagentTarget({ apiUrl: t.room.url, token: ROOM_TOKEN, projectId: "local", deadline: { at: Date.now() + 2_000, seconds: 2 } });
    try {
      const room = await target.room("dev");
      t.room.setFaults(withSeed(parseFaultSpec("latency=4000-4000ms,scope=rpc")!, () => 1));
      const started = Date.now();
      await assert.rejects(room.serviceStates(), { code: "E_ROOM", message: "room dev: services.list got no answer within the run's deadline (--timeout 2)" });
      assert.ok(Date.now() - started < 5_000, `bounded: ${Date.now() - started} ms`);
    } finally {
      t.room.setFaults(null);
      await target.close();
      await t.dispose();
    }
  });
});
