// Shared helpers for the build tests: context directories written from a plain description
// (into a dir from testTempDir in test/helpers/temp-dirs.ts), and reading a whole tar stream.
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";

/** `{ "a/b.txt": "text", "c/": null (a directory), "l": { symlink: "target" } }` → files on disk. */
export type TreeSpec = Record<string, string | Buffer | null | { symlink: string }>;

export function writeTree(root: string, spec: TreeSpec): string {
  for (const [rel, body] of Object.entries(spec)) {
    const abs = path.join(root, rel);
    if (body === null) {
      mkdirSync(abs, { recursive: true });
      continue;
    }
    mkdirSync(path.dirname(abs), { recursive: true });
    if (typeof body === "object" && !Buffer.isBuffer(body)) symlinkSync(body.symlink, abs);
    else writeFileSync(abs, body);
  }
  return root;
}

export async function collect(chunks: AsyncIterable<Buffer>): Promise<{ bytes: Buffer; sizes: number[] }> {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) parts.push(Buffer.from(chunk));
  return { bytes: Buffer.concat(parts), sizes: parts.map((p) => p.length) };
}
