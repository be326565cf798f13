// A `.meshdeploy.yaml` as text, from plain data (`meshdeploy import`, `meshdeploy init`): the
// schema modeline, a header, one entry per service with a comment naming what it cannot express.
// Pure: returns the text; the caller writes it. Re-read by config/load.ts like any hand-written file.
import { Document, isMap, isSeq } from "yaml";

export interface EmittedService {
  /** The entry as it goes under `services:` (already the config's vocabulary). */
  entry: Record<string, unknown>;
  /** Comment lines above the entry (without the leading `#`). */
  comments: string[];
}

export interface EmitInput {
  /** `# yaml-language-server: $schema=…` target, relative to the file. */
  schema: string;
  header: string[];
  top: Record<string, unknown>;
  services: EmittedService[];
  /** Comment lines after the last service (e.g. the services left out). */
  footer: string[];
}

export function emitConfig(input: EmitInput): string {
  const doc = new Document({ version: 1, ...input.top, services: input.services.map((s) => s.entry) });
  const services = isMap(doc.contents) ? doc.contents.get("services", true) : undefined;
  if (isSeq(services)) {
    services.items.forEach((item, index) => {
      const comments = input.services[index]?.comments ?? [];
      if (comments.length > 0 && item !== null && typeof item === "object") (item as { commentBefore?: string }).commentBefore = comments.map((line) => ` ${line}`).join("\n");
    });
    if (input.services.length === 0) services.flow = true;
  }
  const head = [`# yaml-language-server: $schema=${input.schema}`, ...(input.header.length > 0 ? ["#", ...input.header.map((line) => `# ${line}`)] : [])];
  const tail = input.footer.map((line) => `# ${line}`);
  return [...head, doc.toString({ lineWidth: 0 }).trimEnd(), ...tail, ""].join("\n");
}
