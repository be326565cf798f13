// The CLI's own ergonomics, through runCli: -v/--version, "did you mean" for unknown commands and
// flags, `meshdeploy schema` (the shipped schema, stable $id), and `completion bash|zsh|fish`, whose
// bash script is run by bash itself.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { runInProcess } from "../helpers/capture-io.js";
import { suiteTempDirs } from "../helpers/temp-dirs.js";
import { MESHDEPLOY_VERSION } from "../../src/version.js";

const SCHEMA = fileURLToPath(new URL("../../schemas/meshdeploy.schema.json", import.meta.url));

describe("cli ergonomics", () => {
  const tempDir = suiteTempDirs("cli-ergonomics");
  const run = async (...argv: string[]) => runInProcess(argv, { cwd: await tempDir() });

  it("-v, -V, --version and version print the version", async () => {
    for (const flag of ["-v", "-V", "--version", "version"]) {
      const r = await run(flag);
      assert.equal(r.code, 0, flag);
      assert.equal(r.stdout, `meshdeploy ${MESHDEPLOY_VERSION}`);
    }
  });

  it("an unknown command or flag suggests the closest one", async () => {
    const aply = await run("aply");
    assert.equal(aply.code, 1);
    assert.match(aply.stderr, /unknown command: aply\n.*did you mean `meshdeploy apply`\?/);
    const flag = await run("plan", "--detailed-exit-code");
    assert.equal(flag.code, 1);
    assert.match(flag.stderr, /plan: unknown option --detailed-exit-code\n.*did you mean `--detailed-exitcode`\?/);
    const negated = await run("apply", "--no-wiat");
    assert.match(negated.stderr, /did you mean `--no-wait`\?/);
    const far = await run("frobnicate");
    assert.match(far.stderr, /run `meshdeploy --help` for the list of commands/);
    assert.doesNotMatch(far.stderr, /did you mean/);
  });

  it("meshdeploy schema prints the shipped schema, with a stable $id and a description on every property", async () => {
    const r = await run("schema");
    assert.equal(r.code, 0);
    assert.equal(r.stdout, (await readFile(SCHEMA, "utf8")).trimEnd());
    const schema = JSON.parse(r.stdout);
    assert.equal(schema.$id, "urn:meshdeploy:schema:config:1", "the $id is part of the contract: change it only with a new major schema");
    assert.equal(typeof schema.properties.services.description, "string");
  });

  it("completion bash: completes commands, then each command's flags, then files", async () => {
    const r = await run("completion", "bash");
    assert.equal(r.code, 0);
    const dir = await tempDir();
    const script = path.join(dir, "meshdeploy.bash");
    await writeFile(script, r.stdout + "\n");
    const complete = (...words: string[]) => {
      const line = ["meshdeploy", ...words];
      const probe = `source ${JSON.stringify(script)}; COMP_WORDS=(${line.map((w) => JSON.stringify(w)).join(" ")}); COMP_CWORD=${line.length - 1}; _meshdeploy; printf '%s\\n' "\${COMPREPLY[@]}"`;
      const done = spawnSync("bash", ["--noprofile", "--norc", "-c", probe], { cwd: dir, encoding: "utf8", timeout: 10_000 });
      assert.equal(done.status, 0, done.stderr);
      return done.stdout.trim().split("\n").filter(Boolean).sort();
    };
    assert.deepEqual(complete("pl"), ["plan"]);
    assert.deepEqual(complete("s"), ["schema", "secret", "status", "sync"]);
    assert.deepEqual(complete("plan", "--detailed"), ["--detailed-exitcode"]);
    assert.deepEqual(complete("sync", "--li"), ["--listen"]);
    assert.deepEqual(complete("apply", "--out"), ["--output"]);
    assert.deepEqual(complete("local", "se"), ["serve"]);
    assert.deepEqual(complete("local", "serve", "--po"), ["--port"]);
    assert.deepEqual(complete("apply", "--fa"), ["--faults"], "the overview's target flags count for plan, apply, watch, sync");
    assert.deepEqual(complete("completion", ""), ["bash", "fish", "zsh"]);
    await writeFile(path.join(dir, "plan.json"), "{}");
    assert.deepEqual(complete("apply", "pla"), ["plan.json"]);
  });

  it("completion zsh and fish name every command and flag; an unknown shell is a usage error", async () => {
    const zsh = await run("completion", "zsh");
    assert.match(zsh.stdout, /^#compdef meshdeploy\n/);
    assert.match(zsh.stdout, /'apply:Reconcile the rooms with the config'/);
    assert.match(zsh.stdout, /plan\) opts=\([^)]*--detailed-exitcode/);
    const fish = await run("completion", "fish");
    assert.match(fish.stdout, /complete -c meshdeploy -n __fish_use_subcommand -a sync -d /);
    assert.match(fish.stdout, /complete -c meshdeploy -n '__fish_seen_subcommand_from sync' -l log-format/);
    const bad = await run("completion", "powershell");
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /expected one of bash, zsh, fish, got "powershell"/);
  });
});
