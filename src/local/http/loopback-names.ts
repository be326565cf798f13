// DNS-rebinding protection (audit L7): the local room answers only requests addressed to a
// loopback name. A page on attacker.example whose name was re-pointed at 127.0.0.1 sends
// `Host: attacker.example` (421 Misdirected Request) and, for a websocket, an `Origin` that is
// not loopback (403). Requests without an Origin (every non-browser client) are not affected.
// The names are those `kubectl proxy --accept-hosts` accepts by default, plus `*.localhost`
// (RFC 6761: always loopback) and the address the server is bound to.
import { RequestError } from "../errors.js";

const LOOPBACK = new Set(["localhost", "127.0.0.1", "::1"]);

/** `Host` without its port: `[::1]:8787` → `::1`, `localhost:8787` → `localhost`. */
export function hostName(host: string): string {
  const trimmed = host.trim().toLowerCase();
  if (trimmed.startsWith("[")) return trimmed.slice(1, trimmed.indexOf("]") === -1 ? undefined : trimmed.indexOf("]"));
  const colon = trimmed.lastIndexOf(":");
  return (colon === -1 ? trimmed : trimmed.slice(0, colon)).replace(/\.$/, "");
}

export function isLoopbackName(name: string, boundHost: string): boolean {
  const lower = name.toLowerCase();
  return LOOPBACK.has(lower) || lower.endsWith(".localhost") || lower === hostName(boundHost.includes(":") ? `[${boundHost}]` : boundHost);
}

/** Throws the 421/403 a request addressed to a non-loopback name (or from a foreign page) gets. */
export function checkLoopbackRequest(headers: { host?: string | undefined; origin?: string | undefined }, boundHost: string): void {
  const host = headers.host;
  if (host === undefined || host.trim() === "" || !isLoopbackName(hostName(host), boundHost)) {
    throw new RequestError(421, `this local room answers only requests addressed to a loopback name (localhost, 127.0.0.1, [::1]); got Host ${JSON.stringify(host ?? "")}`);
  }
  const origin = headers.origin;
  if (origin === undefined || origin === "") return;
  let originHost: string | null = null;
  try {
    originHost = origin === "null" ? null : hostName(new URL(origin).host);
  } catch {
    originHost = null;
  }
  if (originHost === null || !isLoopbackName(originHost, boundHost)) {
    throw new RequestError(403, `requests from a web page at ${JSON.stringify(origin)} are refused: the local room accepts only loopback origins`);
  }
}
