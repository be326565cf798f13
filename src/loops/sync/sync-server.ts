// `sync --listen HOST:PORT`: /healthz (the process is up), /readyz (the last reconcile succeeded
// recently), /metrics (Prometheus text) and POST /hooks/github (a push webhook whose
// X-Hub-Signature-256 HMAC is verified with the secret, compared in constant time) that triggers
// an immediate reconcile. Without a secret the webhook route refuses every request.
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export const WEBHOOK_BODY_LIMIT = 1024 * 1024;

export interface SyncServerOptions {
  host: string;
  port: number;
  ready(): { ok: boolean; reason: string };
  metrics(): Promise<{ contentType: string; body: string }>;
  /** The webhook secret; undefined disables POST /hooks/github (403). */
  webhookSecret: string | undefined;
  /** A verified push (or a ping: `event` says which). */
  onHook(delivery: { event: string; id: string | null; ref: string | null }): void;
}

export interface SyncServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** GitHub's `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>`, compared in constant time. */
export function verifyGithubSignature(secret: string, body: Buffer, header: string | undefined): boolean {
  if (header === undefined || !header.startsWith("sha256=")) return false;
  const given = Buffer.from(header.slice("sha256=".length), "hex");
  const expected = createHmac("sha256", secret).update(body).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function parseListen(value: string): { host: string; port: number } | null {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(value);
  if (m === null || Number(m[3]) > 65535) return null;
  return { host: m[1] ?? m[2]!, port: Number(m[3]) };
}

export async function startSyncServer(options: SyncServerOptions): Promise<SyncServer> {
  const server = createServer((req, res) => {
    handle(req, res, options).catch(() => send(res, 500, "internal error\n"));
  });
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(":") ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, options: SyncServerOptions): Promise<void> {
  const url = new URL(req.url ?? "/", "http://sync");
  const route = `${req.method} ${url.pathname}`;
  switch (route) {
    case "GET /healthz":
      return send(res, 200, "ok\n");
    case "GET /readyz": {
      const ready = options.ready();
      return send(res, ready.ok ? 200 : 503, `${ready.ok ? "ready" : "not ready"}: ${ready.reason}\n`);
    }
    case "GET /metrics": {
      const { contentType, body } = await options.metrics();
      res.writeHead(200, { "content-type": contentType });
      res.end(body);
      return;
    }
    case "POST /hooks/github":
      return hook(req, res, options);
    default:
      if (["/healthz", "/readyz", "/metrics", "/hooks/github"].includes(url.pathname)) return send(res, 405, "method not allowed\n");
      return send(res, 404, "not found\n");
  }
}

async function hook(req: IncomingMessage, res: ServerResponse, options: SyncServerOptions): Promise<void> {
  if (options.webhookSecret === undefined || options.webhookSecret === "") {
    req.resume();
    return send(res, 403, "the webhook is disabled: set MESHDEPLOY_WEBHOOK_SECRET\n");
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > WEBHOOK_BODY_LIMIT) {
      send(res, 413, "payload too large\n");
      req.destroy();
      return;
    }
    chunks.push(chunk);
  }
  const body = Buffer.concat(chunks);
  if (!verifyGithubSignature(options.webhookSecret, body, header(req, "x-hub-signature-256"))) return send(res, 401, "bad or missing X-Hub-Signature-256\n");
  const event = header(req, "x-github-event") ?? "";
  const id = header(req, "x-github-delivery") ?? null;
  if (event === "ping") {
    options.onHook({ event, id, ref: null });
    return send(res, 200, "pong\n");
  }
  if (event !== "push") return send(res, 202, `ignored event ${JSON.stringify(event)}\n`);
  let ref: string | null = null;
  try {
    const parsed = JSON.parse(body.toString("utf8")) as { ref?: unknown };
    if (typeof parsed.ref === "string") ref = parsed.ref;
  } catch {
    // A form-encoded or empty body still triggers a fetch; the fetch decides what changed.
  }
  options.onHook({ event, id, ref });
  return send(res, 202, "reconcile triggered\n");
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function send(res: ServerResponse, status: number, text: string): void {
  if (res.headersSent) return;
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8" });
  res.end(text);
}
