// Mounts a validator must question, even where the CLI's parser takes them (audit M6): a container
// path that is not absolute, a `..` segment in a path, source or subpath, two mounts at one path, a
// mount at `/`, a mode typo (`/a:/b:rx` is parsed by the CLI as mount path `rx` with source `/a:/b`)
// and a `:` left in a string source. Docker refuses relative paths, Kubernetes duplicate mountPaths
// and `..` in subPath. Works on the entries as written (re-parsed with the same parsers, so entries
// that failed to parse are skipped: build-desired.ts reported them). Pure.
import type { Diagnostic, SourceLocation } from "../../diagnostic.js";
import { parseEmptyDirMount, parseImageMount, parseProjectMount, parseRoomMount, rsplit, type MountKind } from "../mounts.js";
import { editDistance } from "../did-you-mean.js";
import { pyStrip } from "../../model/python-str.js";
import type { RawMounts } from "../raw-config.js";
import { diagnostic, type RuleContext } from "./context.js";

type Kind = MountKind | "volumes";

interface Entry {
  kind: Kind;
  raw: unknown;
  /** The container path and the storage-side path (source or subpath), as parsed. */
  path: string;
  inner: string | null;
  at: (field?: string) => SourceLocation;
}

const STRING_FIELD: Record<Kind, string> = { room: "source", project: "source", images: "subpath", emptyDirs: "path", volumes: "subpath" };

function entriesOf(mounts: RawMounts, locate: (kind: Kind, i: number, field?: string) => SourceLocation): Entry[] {
  const out: Entry[] = [];
  const add = (kind: Kind, raw: unknown, i: number, parsed: { path: string; subpath?: string | null } | null, inner?: string | null): void => {
    if (parsed === null) return;
    const at = (field?: string): SourceLocation => (typeof raw === "string" || field === undefined ? locate(kind, i) : locate(kind, i, field));
    out.push({ kind, raw, path: parsed.path, inner: inner !== undefined ? inner : (parsed.subpath ?? null), at });
  };
  mounts.room?.forEach((raw, i) => {
    const r = parseRoomMount(raw);
    add("room", raw, i, r.ok ? r.value : null, typeof raw === "string" ? null : (raw.source ?? null));
  });
  mounts.project?.forEach((raw, i) => {
    const r = parseProjectMount(raw);
    add("project", raw, i, r.ok ? r.value : null, typeof raw === "string" ? null : (raw.source ?? null));
  });
  mounts.images?.forEach((raw, i) => {
    const r = parseImageMount(raw);
    add("images", raw, i, r.ok ? r.value : null);
  });
  mounts.emptyDirs?.forEach((raw, i) => {
    const r = parseEmptyDirMount(raw);
    add("emptyDirs", raw, i, r.ok ? r.value : null, null);
  });
  mounts.volumes?.forEach((raw, i) => add("volumes", raw, i, { path: raw.path, subpath: raw.subpath ?? null }));
  return out;
}

/** `ro` unless the typo is closer to `rw`. */
function suggestMode(mode: string): string {
  const m = pyStrip(mode).toLowerCase();
  return editDistance(m, "rw") < editDistance(m, "ro") ? "rw" : "ro";
}

/** For a string room/project entry: the source and a mode typo, as the CLI would have split it. */
function stringParts(raw: string): { source: string; modeTypo: string | null } {
  const cleaned = pyStrip(raw);
  const three = rsplit(cleaned, ":", 2);
  // Exactly as the CLI compares it: " RW " (spaces kept) is no mode, so it becomes the mount path.
  const rawLast = three.length === 3 ? (three[2] ?? "") : "";
  const isMode = ["ro", "rw"].includes(rawLast.toLowerCase());
  const last = pyStrip(rawLast);
  const modeTypo = three.length === 3 && !isMode && !last.startsWith("/") && last !== "" ? rawLast : null;
  const withoutMode = isMode ? `${three[0]}:${three[1]}` : cleaned;
  return { source: pyStrip(rsplit(withoutMode, ":", 1)[0] ?? ""), modeTypo };
}

const hasDotDot = (p: string): boolean => p.split("/").includes("..");
const normalise = (p: string): string => (p.length > 1 ? p.replace(/\/+$/, "") : p).replace(/\/{2,}/g, "/");

export function mountsRule(ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  ctx.config.services.forEach((service, index) => {
    if (service.mounts === undefined) return;
    const locate = (kind: Kind, i: number, field?: string): SourceLocation =>
      ctx.locate(field === undefined ? ["services", index, "mounts", kind, i] : ["services", index, "mounts", kind, i, field]);
    // Located only when a finding needs it (a plan of 20,000 services locates nothing here).
    const seen = new Map<string, () => SourceLocation>();
    for (const entry of entriesOf(service.mounts, locate)) {
      const where = `mounts.${entry.kind}`;
      if (typeof entry.raw === "string" && (entry.kind === "room" || entry.kind === "project")) {
        const { source, modeTypo } = stringParts(entry.raw);
        if (modeTypo !== null) {
          const mode = suggestMode(modeTypo);
          out.push(diagnostic("mount-mode", entry.at(), `unknown mount mode \`${modeTypo}\` in ${where} ${JSON.stringify(entry.raw)}; did you mean \`:${mode}\`?`, "a mount is <source>:<mount>[:ro|rw]; the mode is ro (read-only) or rw (read-write)"));
          continue;
        }
        if (source.includes(":")) {
          out.push(diagnostic("mount-source", entry.at(), `the source of ${where} ${JSON.stringify(entry.raw)} would be ${JSON.stringify(source)} (it contains \`:\`)`, "a mount is <source>:<mount>[:ro|rw]; for a source that really holds a colon write {source: ..., path: ...}"));
          continue;
        }
        entry.inner = source;
      }
      const pathAt = (): SourceLocation => entry.at("path");
      if (!entry.path.startsWith("/")) {
        out.push(diagnostic("mount-path", pathAt(), `Expected an absolute container path in ${where}, got ${JSON.stringify(entry.path)}`, `mount paths are inside the container: write ${JSON.stringify(`/${entry.path}`)}`));
        continue;
      }
      if (hasDotDot(entry.path)) {
        out.push(diagnostic("mount-path", pathAt(), `the container path ${JSON.stringify(entry.path)} in ${where} contains \`..\``, "write the path without `..` segments"));
        continue;
      }
      if (entry.inner !== null && hasDotDot(entry.inner)) {
        const field = STRING_FIELD[entry.kind];
        out.push(diagnostic("mount-path", entry.at(field), `the ${field} ${JSON.stringify(entry.inner)} in ${where} contains \`..\`: it would reach outside the storage it mounts`, `name a ${field} inside the storage, without \`..\` segments`));
        continue;
      }
      const key = normalise(entry.path);
      if (key === "/") {
        out.push(diagnostic("mount-path", pathAt(), `${where} mounts over the container's root \`/\``, "mount it at a directory such as /data; a mount at / would hide the whole image"));
        continue;
      }
      const earlier = seen.get(key);
      if (earlier !== undefined) {
        out.push(diagnostic("mount-unique", pathAt(), `two mounts at ${key} in this service (first at line ${earlier().line})`, "give each mount its own container path"));
        continue;
      }
      seen.set(key, pathAt);
    }
  });
  return out;
}
