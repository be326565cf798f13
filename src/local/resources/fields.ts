// Small request-field readers shared by the resources, each failing with a 400 that names the
// field and says what was expected.
import type { JsonObject } from "../../model/service-spec.js";
import { badRequest } from "../errors.js";

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

/** `null`/absent → {}; otherwise an object whose values are all strings. */
export function optionalStringMap(value: unknown, field: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== "object" || Array.isArray(value)) throw badRequest(`"${field}" must be an object of strings`);
  const result: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== "string") throw badRequest(`"${field}.${key}" must be a string, got ${item === null ? "null" : typeof item}`);
    result[key] = item;
  }
  return result;
}

/** `null`/absent → {}; otherwise a JSON object (copied). */
export function optionalObject(value: unknown, field: string): JsonObject {
  if (value === undefined || value === null) return {};
  if (typeof value !== "object" || Array.isArray(value)) throw badRequest(`"${field}" must be an object`);
  return structuredClone(value) as JsonObject;
}

export function requiredString(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (typeof value !== "string" || value === "") throw badRequest(`"${field}" is required and must be a non-empty string`);
  return value;
}

/**
 * Paging from the query string: `countKey` (default 100, at most 1000; larger values are
 * clamped) and `offset` (default 0). Non-integers or negatives → 400.
 */
export function pageParams(query: URLSearchParams, countKey: "count" | "limit"): { count: number; offset: number } {
  const count = Math.min(integerParam(query, countKey, DEFAULT_PAGE_SIZE), MAX_PAGE_SIZE);
  return { count, offset: integerParam(query, "offset", 0) };
}

function integerParam(query: URLSearchParams, key: string, fallback: number): number {
  const raw = query.get(key);
  if (raw === null || raw === "") return fallback;
  if (!/^\d+$/.test(raw)) throw badRequest(`query parameter "${key}" must be a non-negative integer, got "${raw}"`);
  return Number(raw);
}
