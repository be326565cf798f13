// The REST client against a real loopback server that misbehaves on purpose.
import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { after, describe, it } from "node:test";
import { ApiError } from "../../src/errors.js";
import { HttpClient } from "../../src/platform/http-client.js";
import type { RetryPolicy } from "../../src/platform/retry.js";

const TOKEN = "tok_very_secret_value_123";

function serve(handler: (req: IncomingMessage, res: ServerResponse, n: number) => void): Promise<{ url: string; close(): void; count(): number }> {
  let n = 0;
  const server = createServer((req, res) => handler(req, res, ++n));
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close(), count: () => n }),
    ),
  );
}

const sleeps: number[] = [];
const fastRetry: RetryPolicy = { attempts: 4, baseMs: 10, maxMs: 40, maxRetryAfterMs: 5000, random: () => 0.5, sleep: async (ms) => void sleeps.push(ms), now: Date.now };

describe("HttpClient", () => {
  const closers: (() => void)[] = [];
  after(() => closers.forEach((c) => c()));

  it("keeps as many requests in flight as its pool's connections (--concurrency above 16 is real)", async () => {
    const held: ServerResponse[] = [];
    let peak = 0;
    const s = await serve((_req, res) => {
      held.push(res);
      peak = Math.max(peak, held.length);
      // Answer everything once 40 are in flight at once (or at a deadline, so a failure is bounded).
      if (held.length === 40) for (const r of held.splice(0)) r.end("{}");
    });
    closers.push(s.close);
    const client = new HttpClient({ baseUrl: s.url, token: TOKEN, retry: fastRetry, connections: 40 });
    const deadline = setTimeout(() => {
      for (const r of held.splice(0)) r.end("{}");
    }, 3_000);
    await Promise.all(Array.from({ length: 40 }, (_, i) => client.send("GET", `/x${i}`)));
    clearTimeout(deadline);
    assert.equal(peak, 40, `peak in flight: ${peak}`);
    await client.close();
  });

  it("sends the bearer token and JSON, and parses the answer", async () => {
    const s = await serve((req, res) => {
      assert.equal(req.headers.authorization, `Bearer ${TOKEN}`);
      assert.equal(req.headers["content-type"], "application/json");
      res.end(JSON.stringify({ ok: true }));
    });
    closers.push(s.close);
    const client = new HttpClient({ baseUrl: s.url, token: TOKEN, retry: fastRetry });
    assert.deepEqual((await client.send("PUT", "/x", { a: 1 })).json, { ok: true });
    await client.close();
  });

  it("retries GET on 503 and 429, honouring Retry-After", async () => {
    sleeps.length = 0;
    const s = await serve((_req, res, n) => {
      if (n === 1) return void res.writeHead(503).end("busy");
      if (n === 2) return void res.writeHead(429, { "retry-after": "2" }).end();
      res.end("{}");
    });
    closers.push(s.close);
    const client = new HttpClient({ baseUrl: s.url, token: TOKEN, retry: fastRetry });
    await client.send("GET", "/x");
    assert.equal(s.count(), 3);
    assert.deepEqual(sleeps, [5, 2000]);
    assert.equal(client.requestCount, 3);
    await client.close();
  });

  it("never retries a POST, and gives up on GET after the attempts", async () => {
    const s = await serve((_req, res) => void res.writeHead(500).end(JSON.stringify({ error: { message: "boom" } })));
    closers.push(s.close);
    const client = new HttpClient({ baseUrl: s.url, token: TOKEN, retry: fastRetry });
    await assert.rejects(client.send("POST", "/x", {}), (e: ApiError) => e.status === 500 && e.message === "POST /x → 500: boom");
    assert.equal(s.count(), 1);
    await assert.rejects(client.send("GET", "/x"), ApiError);
    assert.equal(s.count(), 5);
    await client.close();
  });

  it("retries a dropped connection on PUT", async () => {
    const s = await serve((req, res, n) => {
      if (n === 1) return void req.socket.destroy();
      res.end("{}");
    });
    closers.push(s.close);
    const client = new HttpClient({ baseUrl: s.url, token: TOKEN, retry: fastRetry });
    await client.send("PUT", "/x", {});
    assert.equal(s.count(), 2);
    await client.close();
  });

  it("keeps the token out of errors even when the server echoes it", async () => {
    const s = await serve((req, res) => void res.writeHead(400).end(`bad header ${req.headers.authorization}`));
    closers.push(s.close);
    const client = new HttpClient({ baseUrl: s.url, token: TOKEN, retry: fastRetry });
    await assert.rejects(client.send("GET", "/x"), (e: ApiError) => !e.message.includes(TOKEN) && !JSON.stringify(e).includes(TOKEN) && e.status === 400);
    await client.close();
  });

  it("a disabled room (423, MeshAgent 0.50+) is not retried and says what to do, with the server's words", async () => {
    const s = await serve((_req, res) => void res.writeHead(423, { "Content-Type": "application/json" }).end(JSON.stringify({ error: { message: "room dev is disabled" } })));
    closers.push(s.close);
    const client = new HttpClient({ baseUrl: s.url, token: TOKEN, retry: fastRetry });
    await assert.rejects(client.send("GET", "/accounts/projects/p/rooms/dev/services"), (e: ApiError) => {
      assert.equal(e.status, 423);
      assert.match(e.message, /→ 423: room dev is disabled/);
      assert.match(e.hint ?? "", /the room is disabled \(MeshAgent 0\.50\+\): enable it/);
      return true;
    });
    assert.equal(s.count(), 1);
    await client.close();
  });

  it("reports an unreachable server as E_API_NETWORK with the method and path", async () => {
    const client = new HttpClient({ baseUrl: "http://127.0.0.1:1", token: TOKEN, retry: { ...fastRetry, attempts: 2 } });
    await assert.rejects(client.send("GET", "/config"), (e: ApiError) => e.code === "E_API_NETWORK" && /GET \/config failed: could not reach/.test(e.message));
    await client.close();
  });
});
