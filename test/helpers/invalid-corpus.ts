// The bad-input corpus in test/fixtures/invalid: its expectations, and each file made ready to run.
// Most files are run where they are; a file whose mistake lives on disk (a build context that is a
// FIFO, a Dockerfile linked to /dev/zero, …) has a `setup` in expected.json and is copied into a
// fresh directory where the setup is done first (git cannot hold FIFOs or links to devices).
import { readFileSync } from "node:fs";
import { copyFile, mkdir, symlink, writeFile } from "node:fs/promises";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const CORPUS = fileURLToPath(new URL("../fixtures/invalid/", import.meta.url));

/** One step of a setup, relative to the directory the config is copied into. */
export type SetupStep =
  | { mkdir: string }
  | { write: string; text: string }
  | { bytes: string; base64: string }
  | { symlink: string; to: string }
  | { fifo: string };

export interface Expectation {
  kind: string;
  /** Where the first error is reported (`line:column`). */
  at: string;
  /** A fragment of its text. */
  message: string;
  setup?: SetupStep[];
  /** "local": the mistake is only knowable against the embedded local room (validate --local, plan/apply --local). */
  commands?: "local";
}

export const EXPECTED = JSON.parse(readFileSync(path.join(CORPUS, "expected.json"), "utf8")) as Record<string, Expectation>;

/** The file to run for `name`: the corpus file itself, or (with a setup) a prepared copy under `dir`. */
export async function prepare(name: string, dir: string): Promise<string> {
  const setup = EXPECTED[name]?.setup;
  if (setup === undefined) return path.join(CORPUS, name);
  const file = path.join(dir, name);
  await copyFile(path.join(CORPUS, name), file);
  for (const step of setup) {
    if ("mkdir" in step) await mkdir(path.join(dir, step.mkdir), { recursive: true });
    else if ("write" in step) await writeFile(path.join(dir, step.write), step.text);
    else if ("bytes" in step) await writeFile(path.join(dir, step.bytes), Buffer.from(step.base64, "base64"));
    else if ("symlink" in step) await symlink(step.to, path.join(dir, step.symlink));
    else execFileSync("mkfifo", [path.join(dir, step.fifo)]);
  }
  return file;
}
