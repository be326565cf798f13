// meshdeploy run from a tree whose node_modules is a symlink (pnpm layouts, linked checkouts):
// CommonJS resolution of @meshagent/meshagent through its `exports` kept the symlinked path while
// the package's own relative requires were realpath'd, so two copies of its classes loaded and
// every `instanceof JsonContent` failed: `logs --local` said "services.list answered something
// other than JSON". official-client.ts now loads the package by its real path.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cp, mkdir, realpath, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";
import { suiteTempDirs } from "../helpers/temp-dirs.js";

const root = fileURLToPath(new URL("../..", import.meta.url));

describe("official client through a symlinked node_modules", { timeout: 90_000 }, () => {
  const tempDir = suiteTempDirs("symlinked-modules");

  it("logs --local reads the service's container (one copy of the client's classes)", async () => {
    const app = await tempDir();
    for (const dir of ["src", "schemas"]) await cp(path.join(root, dir), path.join(app, dir), { recursive: true });
    await cp(path.join(root, "package.json"), path.join(app, "package.json"));
    await symlink(await realpath(path.join(root, "node_modules")), path.join(app, "node_modules"), "dir");
    const project = path.join(app, "project");
    await mkdir(project);
    await writeFile(path.join(project, ".meshdeploy.yaml"), "version: 1\nowner: probe\nroom: r\nservices:\n  - tag: acme/web:1\n");
    const tsx = await realpath(path.join(root, "node_modules", "tsx", "dist", "esm", "index.mjs"));
    const cli = (...args: string[]) => spawnSync(process.execPath, ["--import", tsx, path.join(app, "src", "cli", "main.ts"), ...args, "--local", "--platform", "0.50.1"], { cwd: project, encoding: "utf8", timeout: 40_000 });
    const apply = cli("apply", "--yes");
    assert.equal(apply.status, 0, apply.stderr);
    const logs = cli("logs", "acme-web");
    assert.equal(logs.status, 0, logs.stderr);
    assert.match(logs.stdout, /started from acme\/web:1/);
  });
});
