// The desired-state hash a saved plan records: sha256 of the resolved DesiredState (after
// interpolation and defaults), so comments, formatting and moved lines do not matter but any
// change of meaning does, including an interpolated value. Absolute paths are made relative to
// the config's directory and source locations are dropped, so a plan made in one checkout can be
// applied from another checkout of the same commit. Pure.
import path from "node:path";
import type { DesiredService, DesiredState } from "../../model/desired.js";
import { sha256Hex, stableStringify } from "../../model/stable-json.js";

export interface DesiredHashes {
  /** Of the whole state. */
  hash: string;
  /** Of the top-level settings (version, project, owner, prune). */
  settings: string;
  /** One per declared service, in order. */
  services: { tag: string; room: string; hash: string }[];
}

export function desiredHashes(desired: DesiredState): DesiredHashes {
  const configDir = path.dirname(desired.file);
  // previousOwners only when written, so plans saved before it existed keep their hash.
  const adopt = desired.previousOwners.length > 0 ? { previousOwners: [...desired.previousOwners].sort() } : {};
  const settings = sha256Hex(stableStringify({ version: desired.version, project: desired.project, owner: desired.owner, prune: desired.prune, ...adopt }));
  const services = desired.services.map((s) => ({ tag: s.tag, room: s.room, hash: sha256Hex(stableStringify(canonicalService(s, configDir))) }));
  return { hash: sha256Hex(stableStringify({ settings, services: services.map((s) => s.hash) })), settings, services };
}

function canonicalService(service: DesiredService, configDir: string): unknown {
  const { index: _index, locations: _locations, build, protect, ...rest } = service;
  // `protect` only when true, so plans saved before it existed keep their hash.
  return { ...rest, ...(protect ? { protect } : {}), build: build === null ? null : { ...build, context: relativePosix(configDir, build.context) } };
}

export function relativePosix(from: string, to: string): string {
  return path.relative(from, to).split(path.sep).join("/") || ".";
}
