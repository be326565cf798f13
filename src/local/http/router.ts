// A tiny path router: patterns such as "/accounts/projects/:pid/rooms/:room" matched segment by
// segment on the decoded path. It answers "which handler, with which params", or tells apart an
// unknown path (404) from a known path with the wrong method (405). The most literal pattern
// wins when several match, so new resources (e.g. the room websocket's /connect) can be added
// without reordering.
import { RequestError } from "../errors.js";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface RouteMatch<H> {
  handler: H;
  params: Record<string, string>;
}

interface Entry<H> {
  method: HttpMethod;
  segments: string[];
  handler: H;
}

export class Router<H> {
  readonly #entries: Entry<H>[] = [];

  add(method: HttpMethod, pattern: string, handler: H): this {
    this.#entries.push({ method, segments: splitPath(pattern), handler });
    return this;
  }

  /**
   * Matches a decoded path. Returns null for an unknown path; throws RequestError 405 when the
   * path exists for other methods only. `guard` runs on the params of a matched path before the
   * method check (used to answer 404 for an unknown project on every project path).
   */
  match(method: string, segments: readonly string[], guard?: (params: Record<string, string>) => void): RouteMatch<H> | null {
    let best: { entries: Entry<H>[]; params: Record<string, string>; literals: number } | null = null;
    for (const entry of this.#entries) {
      const params = matchSegments(entry.segments, segments);
      if (params === null) continue;
      const literals = entry.segments.filter((segment) => !segment.startsWith(":")).length;
      if (best === null || literals > best.literals) best = { entries: [entry], params, literals };
      else if (literals === best.literals) best.entries.push(entry);
    }
    if (best === null) return null;
    guard?.(best.params);
    const found = best.entries.find((entry) => entry.method === method);
    if (found === undefined) {
      const allowed = [...new Set(best.entries.map((entry) => entry.method))].join(", ");
      throw new RequestError(405, `method ${method} is not allowed on ${"/" + segments.join("/")} (allowed: ${allowed})`, { Allow: allowed });
    }
    return { handler: found.handler, params: best.params };
  }
}

function matchSegments(pattern: readonly string[], path: readonly string[]): Record<string, string> | null {
  if (pattern.length !== path.length) return null;
  const params: Record<string, string> = {};
  for (let index = 0; index < pattern.length; index += 1) {
    const expected = pattern[index] ?? "";
    const actual = path[index] ?? "";
    if (expected.startsWith(":")) {
      if (actual === "") return null;
      params[expected.slice(1)] = actual;
    } else if (expected !== actual) {
      return null;
    }
  }
  return params;
}

function splitPath(pattern: string): string[] {
  return pattern.replace(/^\/+/, "").split("/");
}

/** Splits a raw request path (no query) into decoded segments; a bad %-escape is kept raw. */
export function decodePath(rawPath: string): string[] {
  return rawPath
    .replace(/^\/+/, "")
    .split("/")
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment;
      }
    });
}
