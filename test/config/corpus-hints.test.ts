// Every configuration error is rendered as a full code frame with a hint: file:line:col, the
// offending line, a caret and `= hint: …`. Checked on every file of both bad-input corpora
// (test/fixtures/invalid and test/fixtures/config/invalid), which between them hit every YAML,
// schema and semantic-rule check; a new fixture whose error has no hint fails here.
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, test } from "node:test";
import { renderCodeFrame } from "../../src/config/code-frame.js";
import type { Diagnostic } from "../../src/diagnostic.js";
import { loadConfig } from "../../src/config/load.js";
import { ConfigError } from "../../src/errors.js";
import { HashCache } from "../../src/build-context/context-hash.js";
import { DEFAULT_PROJECT_REGISTRY } from "../../src/model/image-ref.js";
import { checkOffline } from "../../src/read/offline-checks.js";
import { CORPUS, EXPECTED, prepare } from "../helpers/invalid-corpus.js";
import { suiteTempDirs } from "../helpers/temp-dirs.js";

const CORPORA = ["../fixtures/invalid/", "../fixtures/config/invalid/"].map((dir) => fileURLToPath(new URL(dir, import.meta.url)));
const FILES = [
  ...CORPORA.flatMap((dir) => readdirSync(dir).filter((name) => name.endsWith(".yaml")).sort().map((name) => path.join(dir, name))),
  // The owner rule only fires on the directory's name.
  fileURLToPath(new URL("../fixtures/config/_scratch/.meshdeploy.yaml", import.meta.url)),
];

/** Every rule id rules/* can produce: the corpora must reach each, or a rule's hint goes unchecked. */
const RULE_IDS = [
  "owner",
  "room-name",
  "service-room",
  "tag",
  "duplicate-service-name",
  "domain-port",
  "duplicate-domain",
  "secrets-token",
  "agent-identity",
  "env-secret-clash",
  "token-env",
  "port-reserved",
  "port-unique",
  "mount-mode",
  "mount-source",
  "mount-path",
  "mount-unique",
  "nul",
  "env-name-variable",
  "env-count",
  "identity-path",
  "tag-length",
  "token-scope",
];

/** Every offline phase, as `validate` (with --local for the corpus files that need it) runs them. */
async function diagnosticsOf(file: string, local: boolean): Promise<Diagnostic[]> {
  try {
    const desired = await loadConfig(file, { env: {} });
    await checkOffline(desired, { cache: new HashCache(), naming: local ? { projectRegistry: DEFAULT_PROJECT_REGISTRY, projectKey: "local" } : null });
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return [...error.diagnostics];
  }
  assert.fail(`${file} loaded without errors`);
}

/** What is wrong with `d`'s code frame (as the CLI renders it: the file read as UTF-8), if anything. */
function frameProblems(d: Diagnostic, source: string): string[] {
  const frame = renderCodeFrame(d, source);
  const { file, line, column } = d.location;
  const problems: string[] = [];
  if (!frame.some((l) => l.endsWith(`--> ${file}:${line}:${column}`))) problems.push("no file:line:col");
  if (!frame.some((l) => l.startsWith(`${line} | `))) problems.push("no offending line");
  if (!frame.some((l) => /^ +\| *\^+$/.test(l.replace(/\t/g, " ")))) problems.push("no caret");
  if (d.hint === undefined || d.hint.trim() === "") problems.push("no hint");
  else if (frame.at(-1) !== `${" ".repeat(String(line).length)} = hint: ${d.hint}`) problems.push("hint not rendered last");
  return problems;
}

describe("every error in the bad-input corpora renders as a code frame with a hint", () => {
  test("the corpora are all there", () => {
    assert.ok(FILES.length >= 90, `${FILES.length} files`);
  });

  const rulesSeen = new Set<string>();
  const tempDir = suiteTempDirs("hints");
  for (const corpusFile of FILES) {
    test(path.relative(fileURLToPath(new URL("../fixtures/", import.meta.url)), corpusFile), async () => {
      const name = path.basename(corpusFile);
      const inCorpus = path.dirname(corpusFile) === path.resolve(CORPUS);
      const file = inCorpus ? await prepare(name, await tempDir()) : corpusFile;
      const source = await readFile(file, "utf8");
      const diagnostics = await diagnosticsOf(file, inCorpus && EXPECTED[name]?.commands === "local");
      assert.ok(diagnostics.length > 0);
      const bad = diagnostics.flatMap((d) => {
        rulesSeen.add(d.rule);
        const problems = frameProblems(d, source);
        return problems.length === 0 ? [] : [`${d.location.line}:${d.location.column} ${d.message}: ${problems.join(", ")}`];
      });
      assert.deepEqual(bad, []);
    });
  }

  test("the corpora reach every semantic rule", () => {
    assert.deepEqual(RULE_IDS.filter((rule) => !rulesSeen.has(rule)), []);
  });
});
