// Interpolation inside .meshdeploy.yaml: resolved before the schema, located at the reference
// inside the scalar, keys untouched, unquoted results read as YAML would read them, git built-ins
// gathered by loadConfig only when referenced.
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { before, describe, test } from "node:test";
import { loadConfig, parseConfig } from "../../src/config/load.js";
import { ConfigError } from "../../src/errors.js";
import { initRepo } from "../helpers/git-repo.js";
import { suiteTempDirs } from "../helpers/temp-dirs.js";
import { seen } from "./helpers.js";

const FILE = "/x/shop/.meshdeploy.yaml";

function parsed(text: string, env: Record<string, string> = {}) {
  const result = parseConfig(text, FILE, { env });
  assert.ok(result.ok, result.ok ? "" : JSON.stringify(result.diagnostics));
  return result.desired;
}

function failures(text: string, env: Record<string, string> = {}) {
  const result = parseConfig(text, FILE, { env });
  assert.ok(!result.ok, "expected diagnostics");
  return seen(result.diagnostics);
}

describe("interpolation in the config", () => {
  test("resolves string values everywhere, before the schema and rules see them", () => {
    const desired = parsed(
      `version: 1
room: \${ROOM:-dev}
owner: \${OWNER}
services:
  - tag: "acme/web:\${TAG}"
    env:
      APP_ENV: \${APP_ENV:-staging}
      URL: https://\${HOST}/x?a=$$b
    token: agentDefault
    secrets:
      DB: \${DB_SECRET}
`,
      { OWNER: "shop", TAG: "1.2", HOST: "db", DB_SECRET: "sec_42" },
    );
    assert.equal(desired.owner, "shop");
    const [web] = desired.services;
    assert.equal(web?.room, "dev");
    assert.equal(web?.tag, "acme/web:1.2");
    assert.deepEqual(web?.env, [
      { name: "APP_ENV", value: "staging" },
      { name: "URL", value: "https://db/x?a=$b" },
    ]);
    assert.deepEqual(web?.secrets, [{ name: "DB", secretId: "sec_42" }]);
  });

  test("keys are never interpolated: a `${X}` key is a located error, not a variable named `${X}`", () => {
    const desired = parsed("version: 1\nroom: dev\nservices:\n  - tag: web:1\n    env:\n      PLAIN: x\n", { X: "y" });
    assert.deepEqual(desired.services[0]?.env, [{ name: "PLAIN", value: "x" }]);
    const literal = parseConfig('version: 1\nroom: dev\nservices:\n  - tag: web:1\n    env:\n      "${X}": v\n', "/p/.meshdeploy.yaml", { env: { X: "Y" } });
    assert.equal(literal.ok, false);
    if (!literal.ok) {
      assert.deepEqual(literal.diagnostics.map((d) => [d.rule, d.location.line, d.location.column]), [["env-name-variable", 6, 7]]);
    }
  });

  test("an unquoted result is read as YAML would read it; a quoted one stays a string", () => {
    const desired = parsed(
      `version: 1
room: dev
prune: \${PRUNE}
services:
  - tag: web:1
    public: \${PUBLIC}
    env:
      PORT: \${PORT}
      QUOTED: "\${PORT}"
      EMPTY: \${NONE:-}
    ports:
      - num: \${PORT}
        published: true
`,
      { PRUNE: "true", PUBLIC: "false", PORT: "0x1F40" },
    );
    assert.equal(desired.prune, true);
    assert.equal(desired.services[0]?.public, false);
    assert.equal(desired.services[0]?.ports?.[0]?.num, 8000);
    // env keeps the text the value stands for, as if it had been written there.
    assert.deepEqual(desired.services[0]?.env, [
      { name: "PORT", value: "0x1F40" },
      { name: "QUOTED", value: "0x1F40" },
      { name: "EMPTY", value: "" },
    ]);
    const quoted = failures('version: 1\nroom: dev\nservices:\n  - tag: web:1\n    ports:\n      - num: "${PORT}"\n', { PORT: "8000" });
    assert.equal(quoted[0]?.rule, "schema");
  });

  test("the schema judges resolved values", () => {
    const problems = failures("version: 1\nroom: dev\nservices:\n  - tag: web:1\n    token: ${SCOPE}\n", { SCOPE: "everything" });
    assert.equal(problems[0]?.at, "5:12");
    assert.match(problems[0]!.message, /everything/);
  });

  test("every undefined variable is reported at its own character, in plain, quoted and block scalars", () => {
    const text = `version: 1
room: dev
services:
  - tag: web:\${TAG}
    env:
      A: "x \${ONE} y \${ONE}"
      B: \${OK}-\${TWO:?needed for B}
      C: |
        first line
        then \${THREE}
`;
    assert.deepEqual(failures(text, { OK: "ok" }), [
      { at: "4:14", rule: "interpolation", message: "undefined variable `TAG` in `${TAG}`" },
      { at: "6:13", rule: "interpolation", message: "undefined variable `ONE` in `${ONE}`" },
      { at: "6:22", rule: "interpolation", message: "undefined variable `ONE` in `${ONE}`" },
      { at: "7:16", rule: "interpolation", message: "required variable `TWO` is not set: needed for B" },
      { at: "10:14", rule: "interpolation", message: "undefined variable `THREE` in `${THREE}`" },
    ]);
  });

  test("a reference whose text is not in the file as written points at its scalar", () => {
    // "\x24" is `$` written as an escape: the reference only exists after unescaping.
    assert.deepEqual(failures('version: 1\nroom: dev\nservices:\n  - tag: "web:\\x24{TAG}"\n').map((p) => p.at), ["4:10"]);
  });

  test("an anchored value used through aliases is one problem, at the anchor", () => {
    const problems = failures("version: 1\nroom: dev\nservices:\n  - tag: web:1\n    env: {A: &v '${NOPE}', B: *v, C: *v}\n");
    assert.deepEqual(problems.map((p) => p.at), ["5:18"]);
  });

  test("an unquoted ${…} inside {…} is a YAML error whose hint says to quote it", () => {
    const result = parseConfig("version: 1\nroom: dev\nservices:\n  - tag: web:1\n    env: {A: ${X}}\n", FILE, { env: { X: "1" } });
    assert.ok(!result.ok);
    assert.equal(result.diagnostics[0]?.rule, "yaml");
    assert.match(result.diagnostics[0]?.hint ?? "", /must be quoted/);
  });

  test("parseConfig without variables treats every reference as undefined", () => {
    const result = parseConfig("version: 1\nroom: ${ROOM}\nservices: []\n", FILE);
    assert.ok(!result.ok);
    assert.equal(result.diagnostics[0]?.message, "undefined variable `ROOM` in `${ROOM}`");
  });
});

describe("loadConfig and the git built-ins", () => {
  const tempDir = suiteTempDirs("interp");
  let dir: string;
  before(async () => {
    dir = await tempDir();
  });

  const CONFIG = "version: 1\nroom: dev\nservices:\n  - tag: acme/web:${GIT_SHORT_SHA}\n    env:\n      SHA: ${GIT_SHA}\n      BRANCH: ${GIT_BRANCH}\n";

  test("GIT_SHA, GIT_SHORT_SHA and GIT_BRANCH come from the tree the config is in", async () => {
    const repo = await initRepo(path.join(dir, "repo"));
    const sha = await repo.commit({ ".meshdeploy.yaml": CONFIG }, "first");
    await repo.git.checkoutLocalBranch("feature/x");
    const desired = await loadConfig(path.join(repo.dir, ".meshdeploy.yaml"), { env: {} });
    assert.equal(desired.services[0]?.tag, `acme/web:${sha.slice(0, 7)}`);
    assert.deepEqual(desired.services[0]?.env, [
      { name: "SHA", value: sha },
      { name: "BRANCH", value: "feature/x" },
    ]);
  });

  test("a detached HEAD has no GIT_BRANCH: located error with the reason, unless the environment gives one", async () => {
    const repo = await initRepo(path.join(dir, "detached"));
    const sha = await repo.commit({ ".meshdeploy.yaml": CONFIG }, "first");
    await repo.git.raw(["checkout", "--quiet", "--detach", sha]);
    const file = path.join(repo.dir, ".meshdeploy.yaml");
    const error = await loadConfig(file, { env: {} }).catch((e: unknown) => e);
    assert.ok(error instanceof ConfigError);
    assert.deepEqual(seen(error.diagnostics), [{ at: "7:15", rule: "interpolation", message: "undefined variable `GIT_BRANCH` in `${GIT_BRANCH}`" }]);
    assert.match(error.diagnostics[0]?.hint ?? "", /^HEAD is detached/);
    const desired = await loadConfig(file, { env: { GIT_BRANCH: "main" } });
    assert.equal(desired.services[0]?.env[1]?.value, "main");
  });

  test("outside a git tree the built-ins say so", async () => {
    const file = path.join(dir, "plain.yaml");
    await writeFile(file, CONFIG);
    const error = await loadConfig(file, { env: {} }).catch((e: unknown) => e);
    assert.ok(error instanceof ConfigError);
    assert.equal(error.diagnostics.length, 3);
    assert.match(error.diagnostics[0]?.hint ?? "", /is not inside a git work tree/);
  });

  test("a config without ${GIT_ references never runs git (works in a directory git would refuse)", async () => {
    const file = path.join(dir, "no-git.yaml");
    await writeFile(file, "version: 1\nroom: dev\nservices:\n  - tag: web:${TAG}\n");
    const desired = await loadConfig(file, { env: { TAG: "2" } });
    assert.equal(desired.services[0]?.tag, "web:2");
  });
});
