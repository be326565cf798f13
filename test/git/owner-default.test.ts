// The default owner read from git: clones of one repository, whatever the remote's spelling, agree;
// another path in the repository, or another repository, does not; without a remote or outside
// git it is the directory name, marked so prune can refuse it.
import assert from "node:assert/strict";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { before, describe, it } from "node:test";
import { simpleGit } from "simple-git";
import { readDefaultOwner, ownerInRepository } from "../../src/git/owner-default.js";
import { OWNER_PATTERN } from "../../src/model/owner.js";
import { initRepo } from "../helpers/git-repo.js";
import { suiteTempDirs } from "../helpers/temp-dirs.js";

describe("readDefaultOwner", () => {
  const tempDir = suiteTempDirs("owner");
  let dir: string;
  before(async () => {
    dir = await tempDir();
    await initRepo(path.join(dir, "origin.git"), { bare: true });
    const seed = await initRepo(path.join(dir, "seed"));
    await seed.git.addRemote("origin", path.join(dir, "origin.git"));
    await seed.commit({ ".meshdeploy.yaml": "version: 1\nservices: []\n", "deploy/.meshdeploy.yaml": "version: 1\nservices: []\n" }, "configs");
    await seed.git.push("origin", "main");
  });

  it("clones through file://, a plain path and a path with .git/ agree; another config path does not", async () => {
    const origin = path.join(dir, "origin.git");
    const git = simpleGit({ baseDir: dir });
    await git.clone(`file://${origin}`, path.join(dir, "via-file-url"));
    await git.clone(origin, path.join(dir, "via-path"));
    await git.clone(`${origin}/`, path.join(dir, "via-slash"));
    const owners = await Promise.all(["via-file-url", "via-path", "via-slash", "seed"].map((c) => readDefaultOwner(path.join(dir, c, ".meshdeploy.yaml"))));
    for (const o of owners) assert.deepEqual(o, owners[0]);
    assert.equal(owners[0]!.source.type, "git");
    assert.match(owners[0]!.owner, OWNER_PATTERN);
    assert.deepEqual(owners[0]!.source, { type: "git", remote: path.join(dir, "origin"), path: ".meshdeploy.yaml" });
    const deploy = await readDefaultOwner(path.join(dir, "via-path", "deploy", ".meshdeploy.yaml"));
    assert.notEqual(deploy.owner, owners[0]!.owner);
    assert.deepEqual(deploy.source, { type: "git", remote: path.join(dir, "origin"), path: "deploy/.meshdeploy.yaml" });
  });

  it("an https remote with a token and one without agree, and the token is nowhere in the result", async () => {
    const a = await initRepo(path.join(dir, "https-a"));
    await a.git.addRemote("origin", "https://x-access-token:ghp_TOKEN0123@github.com/Acme/Shop.git");
    const b = await initRepo(path.join(dir, "https-b"));
    await b.git.addRemote("origin", "git@github.com:acme/shop");
    const [oa, ob] = await Promise.all([readDefaultOwner(path.join(a.dir, "x.yaml")), readDefaultOwner(path.join(b.dir, "x.yaml"))]);
    assert.deepEqual(oa, ob);
    assert.deepEqual(oa.source, { type: "git", remote: "github.com/acme/shop", path: "x.yaml" });
    assert.doesNotMatch(JSON.stringify(oa), /TOKEN/);
  });

  it("two same-named directories in two repositories get two owners", async () => {
    const owners = [];
    for (const team of ["team-a", "team-b"]) {
      const repo = await initRepo(path.join(dir, team));
      await repo.git.addRemote("origin", `git@github.com:${team}/infra.git`);
      await repo.commit({ "deploy/.meshdeploy.yaml": "version: 1\nservices: []\n" }, "config");
      owners.push((await readDefaultOwner(path.join(repo.dir, "deploy", ".meshdeploy.yaml"))).owner);
    }
    assert.notEqual(owners[0], owners[1]);
  });

  it("a repository without a remote, or no repository: the directory name, marked as such", async () => {
    const lonely = await initRepo(path.join(dir, "lonely"));
    await lonely.commit({ "deploy/x.yaml": "version: 1\nservices: []\n" }, "config");
    assert.deepEqual(await readDefaultOwner(path.join(lonely.dir, "deploy", "x.yaml")), { owner: "deploy", source: { type: "directory", directory: "deploy" } });
    assert.equal(await ownerInRepository(lonely.dir, "x.yaml"), null);
    const plain = path.join(await tempDir(), "deploy");
    await mkdir(plain);
    await writeFile(path.join(plain, ".meshdeploy.yaml"), "version: 1\nservices: []\n");
    assert.deepEqual(await readDefaultOwner(path.join(plain, ".meshdeploy.yaml")), { owner: "deploy", source: { type: "directory", directory: "deploy" } });
  });
});
