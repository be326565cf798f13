// Start-up stays cheap (issue 14 item 1): `--version`, `--help` and a usage error load none of the
// heavy dependencies and none of the engine. Each module the built binary loads is recorded by a
// resolve hook (module.register) that writes its URL to a file; the test fails when a static
// import drags the YAML parser, git, the schema, the HTTP client or the local room into them.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { pathToFileURL } from "node:url";
import { BIN } from "../helpers/binary.js";
import { testTempDir } from "../helpers/temp-dirs.js";

const HEAVY = [/node_modules\/yaml\//, /node_modules\/simple-git\//, /node_modules\/ajv\//, /node_modules\/undici\//, /node_modules\/@meshagent\//, /node_modules\/prom-client\//, /\/dist\/config\/load\.js$/, /\/dist\/local\//, /\/dist\/reconcile\.js$/, /\/dist\/platform\//];

function loadedBy(args: string[], dir: string): string[] {
  const log = path.join(dir, "loaded.txt");
  const hooks = path.join(dir, "hooks.mjs");
  writeFileSync(hooks, `import { appendFileSync } from "node:fs";\nexport async function resolve(specifier, context, next) {\n  const result = await next(specifier, context);\n  appendFileSync(${JSON.stringify(log)}, result.url + "\\n");\n  return result;\n}\n`);
  const register = path.join(dir, "register.mjs");
  writeFileSync(register, `import { register } from "node:module";\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
  writeFileSync(log, "");
  const result = spawnSync(process.execPath, ["--import", pathToFileURL(register).href, BIN, ...args], { cwd: dir, env: { PATH: process.env["PATH"] ?? "", NO_COLOR: "1" }, encoding: "utf8", timeout: 60_000 });
  assert.notEqual(result.status, null, `meshdeploy ${args.join(" ")} did not finish`);
  const loaded = readFileSync(log, "utf8").split("\n").filter(Boolean);
  assert.ok(loaded.some((url) => url.endsWith("/dist/cli/run.js")), `the hook saw the CLI load (${loaded.length} modules)`);
  return loaded;
}

describe("start-up imports (built binary)", () => {
  for (const args of [["--version"], ["--help"], ["plan", "--help"], ["aply"], ["plan", "--detailed-exit-code"]]) {
    it(`meshdeploy ${args.join(" ")} loads no heavy module`, (t) => {
      const heavy = loadedBy(args, testTempDir(t, "startup")).filter((url) => HEAVY.some((re) => re.test(url)));
      assert.deepEqual(heavy, []);
    });
  }

  it("the hook does see a heavy module when a command needs one (validate loads the YAML parser)", (t) => {
    const dir = testTempDir(t, "startup-validate");
    writeFileSync(path.join(dir, ".meshdeploy.yaml"), "version: 1\nroom: dev\nservices:\n  - tag: web:1\n");
    assert.ok(loadedBy(["validate"], dir).some((url) => /node_modules\/yaml\//.test(url)));
  });
});
