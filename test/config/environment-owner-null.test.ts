// An overlay's `owner: null` falls back to the default owner, which comes from git: a top-level
// `owner:` must not make the loader skip git (it used to, and the environment's owner became the
// directory's name with "no git remote" in a repository that has one).
import assert from "node:assert/strict";
import path from "node:path";
import { describe, it } from "node:test";
import { loadEveryEnvironment, writesOwner } from "../../src/config/load.js";
import { initRepo } from "../helpers/git-repo.js";
import { suiteTempDirs } from "../helpers/temp-dirs.js";

const CONFIG = "version: 1\nowner: shop\nroom: r\nservices:\n  - tag: acme/web:1\nenvironments:\n  dev: {}\n  prod: {owner: null}\n";

describe("environments: owner: null in an overlay", () => {
  const tempDir = suiteTempDirs("owner-null");

  it("takes the git-derived default owner, not the directory name", async () => {
    const repo = await initRepo(path.join(await tempDir(), "shop"));
    await repo.git.addRemote("origin", "https://github.com/acme/shop.git");
    await repo.commit({ ".meshdeploy.yaml": CONFIG }, "config");
    const [dev, prod] = await loadEveryEnvironment(path.join(repo.dir, ".meshdeploy.yaml"));
    assert.equal(dev?.owner, "shop.dev");
    assert.equal(prod?.ownerSource.type, "git");
    assert.match(prod?.owner ?? "", /^shop-[0-9a-f]{12}\.prod$/);
  });

  it("writesOwner: a top-level owner: without any null owner", () => {
    assert.equal(writesOwner("owner: shop\n"), true);
    assert.equal(writesOwner("owner: shop # the team\nenvironments:\n  prod: {room: p}\n"), true);
    assert.equal(writesOwner(CONFIG), false);
    assert.equal(writesOwner("owner: shop\nenvironments:\n  prod:\n    owner: ~\n"), false);
    assert.equal(writesOwner("owner: shop\nenvironments:\n  prod:\n    owner:\n"), false);
    assert.equal(writesOwner("room: r\n"), false);
  });
});
