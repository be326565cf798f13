// Listings that page with `continuation_token` (MeshAgent 0.44.7+: repositories, service accounts,
// api@6d950a5 `list_*_page`). The first request is the unpaged one a 0.39 server answers in full;
// a token is followed only when the server sends one, so 0.39 servers see exactly the old request.
import { MeshdeployError } from "../errors.js";
import type { HttpClient } from "./http-client.js";

/** More pages than any project has; a server that keeps answering a token past this is refused. */
const MAX_PAGES = 1_000;

/**
 * GETs `base`, then each page the answers point to, handing every answer to `visit`; stops early
 * when `visit` returns a value other than undefined, and returns it (undefined: none did).
 */
export async function walkPages<T>(http: HttpClient, base: string, visit: (json: unknown, path: string) => T | undefined): Promise<T | undefined> {
  let token: string | null = null;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const path: string = token === null ? base : `${base}?continuation_token=${encodeURIComponent(token)}`;
    const json = (await http.send("GET", path)).json;
    const found = visit(json, path);
    if (found !== undefined) return found;
    const next = (json as { continuation_token?: unknown } | null)?.continuation_token;
    if (typeof next !== "string" || next === "") return undefined;
    token = next;
  }
  throw new MeshdeployError("E_API_PAYLOAD", `GET ${base}: more than ${MAX_PAGES} pages`);
}
