// Shared helpers for the build tests: throwaway context directories written from a plain
// description, and reading a whole tar stream.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestContext } from "node:test";

/** A fresh temp directory removed when the test ends. */
export function tempDir(t: TestContext, prefix = "meshdeploy-build-"): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

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
