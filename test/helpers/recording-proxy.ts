// Test helper: a loopback proxy in front of a local room that records what a client sends on the
// wire — each REST request (method, path, body) and each websocket upgrade (URL with query,
// headers) and the room messages the client sends, reassembled — and forwards everything. REST
// answers have the room's host rewritten to the proxy's, so `connect` sends the client here too.
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import WebSocket, { WebSocketServer } from "ws";
import { FrameAssembler } from "../../src/local/room/frames.js";

export interface Upgrade {
  url: string;
  headers: IncomingHttpHeaders;
}

export interface RecordingProxy {
  readonly url: string;
  readonly rest: { method: string; path: string; body: string }[];
  readonly upgrades: Upgrade[];
  /** Every room message the client sent (envelope bytes), in order. */
  readonly sent: Buffer[];
  close(): Promise<void>;
}

export async function startRecordingProxy(upstream: string): Promise<RecordingProxy> {
  const upstreamHost = new URL(upstream).host;
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  const rest: RecordingProxy["rest"] = [];
  const upgrades: Upgrade[] = [];
  const sent: Buffer[] = [];
  const sockets = new Set<WebSocket>();
  let proxyHost = "";
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (c: Buffer) => chunks.push(c));
    request.on("end", () => {
      const body = Buffer.concat(chunks);
      rest.push({ method: request.method ?? "", path: request.url ?? "", body: body.toString("utf8") });
      const forward = httpRequest(upstream + (request.url ?? "/"), { method: request.method, headers: { ...request.headers, host: upstreamHost } }, (answer) => {
        const parts: Buffer[] = [];
        answer.on("data", (c: Buffer) => parts.push(c));
        answer.on("end", () => {
          const text = Buffer.concat(parts).toString("utf8").split(upstreamHost).join(proxyHost);
          response.writeHead(answer.statusCode ?? 502, { "content-type": answer.headers["content-type"] ?? "application/json" });
          response.end(text);
        });
      });
      forward.end(body);
    });
  });
  server.on("upgrade", (request, socket, head) => {
    upgrades.push({ url: request.url ?? "", headers: request.headers });
    const authorization = request.headers.authorization;
    const target = upstream.replace(/^http/, "ws") + (request.url ?? "/");
    const upstreamSocket = new WebSocket(target, authorization ? { headers: { authorization } } : {});
    upstreamSocket.on("error", () => socket.destroy());
    upstreamSocket.once("open", () => {
      wss.handleUpgrade(request, socket, head, (client) => {
        sockets.add(client);
        sockets.add(upstreamSocket);
        const assembler = new FrameAssembler(1 << 26);
        client.on("message", (data: Buffer) => {
          const message = assembler.push(data);
          if (message !== null) sent.push(Buffer.from(message.data));
          upstreamSocket.send(data);
        });
        upstreamSocket.on("message", (data: Buffer) => client.send(data));
        client.on("close", () => upstreamSocket.close());
        upstreamSocket.on("close", (code) => client.close(code === 1005 ? 1000 : code));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  proxyHost = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `http://${proxyHost}`,
    rest,
    upgrades,
    sent,
    close: () => new Promise((resolve) => {
      for (const s of sockets) s.terminate();
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
