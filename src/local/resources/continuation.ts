// Paging with `page_size` and an opaque `continuation_token` (the 0.44.7+ listings:
// service accounts, their secrets, repositories, project routes). The token is this server's own
// (the offset of the next page, encoded); a token it did not issue is a 400. `total` is not part of
// every page shape, so callers add it where the platform sends it.
import { badRequest } from "../errors.js";
import { MAX_PAGE_SIZE } from "./fields.js";

export interface TokenPage<T> {
  items: T[];
  /** null on the last page. */
  continuation_token: string | null;
}

/** One page of `items` per the query's `page_size` (default `defaultSize`, at most 1000) and `continuation_token`. */
export function pageByToken<T>(items: readonly T[], query: URLSearchParams, defaultSize: number): TokenPage<T> {
  return pageAt(items, pageSizeOf(query.get("page_size"), defaultSize), offsetOf(query.get("continuation_token")));
}

/** The same from a JSON body (`…/secrets:search` sends its paging in the body). */
export function pageByBody<T>(items: readonly T[], body: Record<string, unknown>, defaultSize: number): TokenPage<T> {
  const size = body.page_size === undefined || body.page_size === null ? null : String(body.page_size);
  const token = typeof body.continuation_token === "string" ? body.continuation_token : null;
  return pageAt(items, pageSizeOf(size, defaultSize), offsetOf(token));
}

function pageAt<T>(items: readonly T[], size: number, offset: number): TokenPage<T> {
  const next = offset + size;
  return { items: items.slice(offset, next), continuation_token: next < items.length ? tokenOf(next) : null };
}

function pageSizeOf(raw: string | null, fallback: number): number {
  if (raw === null || raw === "") return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw badRequest(`"page_size" must be a positive integer, got "${raw}"`);
  return Math.min(Number(raw), MAX_PAGE_SIZE);
}

function tokenOf(offset: number): string {
  return Buffer.from(`offset:${offset}`, "utf8").toString("base64url");
}

function offsetOf(token: string | null): number {
  if (token === null || token === "") return 0;
  const match = /^offset:(\d+)$/.exec(Buffer.from(token, "base64url").toString("utf8"));
  if (match === null) throw badRequest(`"continuation_token" is not a token this local room issued`);
  return Number(match[1]);
}
