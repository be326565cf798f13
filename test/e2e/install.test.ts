// Installing meshdeploy into someone else's project without a registry entry: `npm pack` of this
// repository (dist/ built by `npm test`), installed into an empty project that has only Node and
// npm, then `npx meshdeploy validate`, `plan --local` and `apply --local` there; and a git install
// at a tag, which builds through `prepare`. Dependencies come from the npm cache first
// (--prefer-offline); everything else is loopback only.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { access, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, it } from "node:test";
import { copyRepo, npm, REPO_ROOT } from "../helpers/repo-copy.js";
import { initRepo } from "../helpers/git-repo.js";
import { suiteTempDirs } from "../helpers/temp-dirs.js";

const CONFIG = `# yaml-language-server: $schema=./node_modules/meshdeploy/schemas/meshdeploy.schema.json
version: 1
room: dev
owner: myapp
services:
  - tag: myapp/web:1.0
    template: none
`;

describe("install into an empty project without a registry entry", { timeout: 300_000 }, () => {
  const tempDir = suiteTempDirs("install");

  it("package.json ships dist/ and schemas/, its bin is in the package, and a git install builds through prepare", async () => {
    const pkg = JSON.parse(await readFile(path.join(REPO_ROOT, "package.json"), "utf8"));
    assert.deepEqual([...pkg.files].sort(), ["dist", "schemas"]);
    assert.equal(pkg.bin.meshdeploy, "dist/cli/main.js");
    // `npm install github:OWNER/meshdeploy` clones without dist/: npm installs the dev dependencies
    // and runs `prepare`, which must compile it.
    assert.match(pkg.scripts.prepare, /npm run build/);
    assert.match(pkg.scripts.build, /tsc -p tsconfig\.build\.json/);
    assert.ok(pkg.devDependencies.typescript, "prepare needs typescript among the dev dependencies");
    assert.equal(pkg.private, undefined, "a private package cannot be packed for others");
  });

  it("npm pack → npm install ./meshdeploy-X.tgz → npx meshdeploy validate, plan --local, apply --local", async () => {
    const dir = await tempDir();
    const packed = npm(["pack", "--ignore-scripts", "--json", "--pack-destination", dir], REPO_ROOT, 60_000);
    assert.equal(packed.code, 0, packed.stderr);
    const [info] = JSON.parse(packed.stdout) as [{ filename: string; files: { path: string }[] }];
    const files = info.files.map((f) => f.path);
    for (const needed of ["dist/cli/main.js", "schemas/meshdeploy.schema.json", "package.json", "README.md"]) assert.ok(files.includes(needed), `${needed} missing from the tarball`);
    assert.equal(files.some((f) => f.startsWith("test/") || f.startsWith("src/") || f.startsWith(".meshdeploy")), false, "sources, tests or state leaked into the tarball");

    const project = path.join(dir, "myapp");
    await mkdir(project);
    await writeFile(path.join(project, "package.json"), JSON.stringify({ name: "myapp", private: true }));
    const installed = npm(["install", "--save-dev", path.join(dir, path.basename(info.filename))], project);
    assert.equal(installed.code, 0, installed.stderr);
    await writeFile(path.join(project, ".meshdeploy.yaml"), CONFIG);
    await access(path.join(project, "node_modules", "meshdeploy", "schemas", "meshdeploy.schema.json"));

    // `npx --no`: the project's own install, never a download.
    const run = (...args: string[]) => {
      const r = spawnSync("npx", ["--no", "meshdeploy", ...args], { cwd: project, encoding: "utf8", timeout: 60_000, env: { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "", NO_COLOR: "1" } });
      return { code: r.status, out: r.stdout + r.stderr };
    };
    const validated = run("validate");
    assert.equal(validated.code, 0, validated.out);
    assert.match(validated.out, /is valid: 1 service in 1 room, owner myapp/);
    const planned = run("plan", "--local", "--detailed-exitcode");
    assert.equal(planned.code, 2, planned.out);
    assert.match(planned.out, /\+ myapp-web\s+create/);
    const applied = run("apply", "--local", "--yes");
    assert.equal(applied.code, 0, applied.out);
    assert.match(applied.out, /myapp-web created/);
    const again = run("plan", "--local", "--detailed-exitcode");
    assert.equal(again.code, 0, again.out);
  });

  it("npm install git+file://…#TAG (as github:OWNER/meshdeploy#REF does): prepare builds dist/, npx meshdeploy runs", async () => {
    const dir = await tempDir();
    // The repository as a git remote: exactly the tracked files at a tag, no dist/ and no node_modules/.
    const origin = await initRepo(path.join(dir, "meshdeploy"));
    await copyRepo(origin.dir);
    await origin.git.add(".");
    await origin.git.commit("snapshot");
    await origin.git.addTag("v-test");
    const project = path.join(dir, "myapp");
    await mkdir(project);
    await writeFile(path.join(project, "package.json"), JSON.stringify({ name: "myapp", private: true }));
    const installed = npm(["install", "--save-dev", `git+file://${origin.dir}#v-test`], project, 240_000);
    assert.equal(installed.code, 0, installed.stderr);
    await access(path.join(project, "node_modules", "meshdeploy", "dist", "cli", "main.js"));
    await writeFile(path.join(project, ".meshdeploy.yaml"), CONFIG);
    const r = spawnSync("npx", ["--no", "meshdeploy", "validate"], { cwd: project, encoding: "utf8", timeout: 60_000, env: { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "", NO_COLOR: "1" } });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /is valid/);
  });
});
