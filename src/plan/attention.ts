// What in a plan deserves a second look before anyone says yes: deletes, and changes that widen
// who can reach or what a service may do — a published port made public (requests without a
// participant token) and a `full` token. Every renderer marks them the same way. Pure.
import type { PlannedService } from "./types.js";

export type Attention = "delete" | "public" | "full-token";

export const ATTENTION_TEXT: Record<Attention, string> = {
  delete: "deletes this service",
  public: "widens access: a published port becomes public (requests need no participant token)",
  "full-token": "widens access: the service gets a full-access token",
};

const PUBLIC_PORT = /^ports\[\d+\]\.public$/;

export function attentionOf(service: PlannedService): Attention[] {
  if (service.type === "delete") return ["delete"];
  const out: Attention[] = [];
  if (service.changes.some((c) => PUBLIC_PORT.test(c.path) && c.after === "true" && c.before !== "true")) out.push("public");
  if (service.changes.some((c) => c.after?.startsWith("token:full") === true && c.before?.startsWith("token:full") !== true)) out.push("full-token");
  return out;
}
