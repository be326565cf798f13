// Answers that are not what they seem (audit L4, L10): a 2xx whose body is not JSON may hide a
// landed write, so it is re-checked (POST: re-list by spec-hash) or retried (idempotent), not a
// hard failure; a gateway's HTML page is named, not pasted whole; an undici timeout is not
// "could not reach". Against real loopback servers that misbehave on purpose.
import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { after, describe, it } from "node:test";
import { ApiError } from "../../src/errors.js";
import { HttpClient } from "../../src/platform/http-client.js";
import { MeshagentTarget } from "../../src/platform/meshagent-target.js";
import type { RetryPolicy } from "../../src/platform/retry.js";

const TOKEN = "tok_ambiguous_0123456789";
const fast: RetryPolicy = { attempts: 3, baseMs: 1, maxMs: 2, maxRetryAfterMs: 10, random: () => 0.5, sleep: async () => {}, now: Date.now };

function serve(handler: (req: IncomingMessage, res: ServerResponse, body: string) => void): Promise<{ url: string; close(): void }> {
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => handler(req, res, body));
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () => {
          server.closeAllConnections();
          server.close();
        },
      }),
    ),
  );
}

const NGINX = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.25.3</center>\r\n</body>\r\n</html>\r\n";

describe("ambiguous and misleading answers", () => {
  const closers: (() => void)[] = [];
  after(() => closers.forEach((c) => c()));

  it("a POST that landed but was answered 200 with half its JSON is found by its spec-hash, not failed", async () => {
    const stored: Record<string, unknown>[] = [];
    let posts = 0;
    const s = await serve((req, res, body) => {
      if (req.method === "POST") {
        posts++;
        const service = { ...(JSON.parse(body) as Record<string, unknown>), id: "svc-landed" };
        stored.push(service);
        const answer = JSON.stringify({ id: "svc-landed" });
        return void res.writeHead(200, { "content-type": "application/json" }).end(answer.slice(0, answer.length / 2));
      }
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ services: stored }));
    });
    closers.push(s.close);
    const target = new MeshagentTarget({ apiUrl: s.url, token: TOKEN, projectId: "p", retry: fast });
    const body = { version: "v1", kind: "Service", metadata: { name: "web", annotations: { "meshdeploy.spec-hash": "h1" } }, container: { image: "x" } };
    assert.equal((await target.createService("dev", body)).id, "svc-landed");
    assert.equal(posts, 1, "not posted twice");
    await target.close();
  });

  it("an idempotent request answered with a proxy's HTML 200 is retried; a 502 page is named, not pasted", async () => {
    let n = 0;
    const s = await serve((req, res) => {
      n++;
      if (req.url === "/flaky" && n === 1) return void res.writeHead(200, { "content-type": "text/html" }).end("<html>Login required</html>");
      if (req.url === "/flaky") return void res.end("{}");
      res.writeHead(502, { "content-type": "text/html" }).end(NGINX);
    });
    closers.push(s.close);
    const client = new HttpClient({ baseUrl: s.url, token: TOKEN, retry: fast });
    assert.deepEqual((await client.send("GET", "/flaky")).json, {});
    await assert.rejects(client.send("GET", "/gw"), (e: ApiError) => {
      assert.equal(e.message, 'GET /gw → 502: an HTML page: "502 Bad Gateway" (not from MeshAgent: a proxy or gateway answered)');
      return true;
    });
    const post = await serve((_req, res) => void res.writeHead(200).end("<html>Login required</html>"));
    closers.push(post.close);
    const once = new HttpClient({ baseUrl: post.url, token: TOKEN, retry: fast });
    await assert.rejects(once.send("POST", "/x", {}), { code: "E_API_PAYLOAD", status: 200, message: 'POST /x: the server answered 200 with a body that is not JSON (an HTML page: "Login required")' });
    await client.close();
    await once.close();
  });

  it("a header timeout says the server took the request and did not answer, not that it could not be reached", async () => {
    const s = await serve(() => undefined); // never answers
    closers.push(s.close);
    const client = new HttpClient({ baseUrl: s.url, token: TOKEN, retry: { ...fast, attempts: 1 }, headersTimeoutMs: 200 });
    await assert.rejects(client.send("GET", "/slow"), { code: "E_API_NETWORK", message: `GET /slow failed: ${s.url} took the request but sent no answer within 0.2 s` });
    await client.close();
  });
});
