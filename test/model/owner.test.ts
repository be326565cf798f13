// The default owner's parts, pure: every spelling of one remote normalises to one string (no
// credentials, scheme, port or .git), different repositories never do, and the owner derived from
// it always fits the annotation rules and differs per repository path.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { describeOwner, gitOwner, normaliseRemote, OWNER_PATTERN } from "../../src/model/owner.js";
import { prng } from "../helpers/services.js";

describe("normaliseRemote", () => {
  it("one repository, every spelling: the same string", () => {
    const spellings = [
      "https://github.com/acme/shop",
      "https://github.com/acme/shop.git",
      "https://github.com/acme/shop.git/",
      "https://x-access-token:ghp_SECRET123@github.com/acme/shop.git",
      "https://TOKEN@GitHub.com/Acme/Shop",
      "http://github.com:443/acme/shop?token=abc#frag",
      "ssh://git@github.com/acme/shop.git",
      "ssh://git@github.com:22/acme/shop",
      "git@github.com:acme/shop.git",
      "git@github.com:acme/shop",
      "github.com:acme/shop.git",
      "  https://github.com//acme/shop.git  ",
    ];
    for (const url of spellings) assert.equal(normaliseRemote(url), "github.com/acme/shop", url);
  });

  it("local repositories: file:// and the plain path agree; the path's case is kept off the known hosts", () => {
    assert.equal(normaliseRemote("file:///srv/git/shop.git"), "/srv/git/shop");
    assert.equal(normaliseRemote("/srv/git/shop.git/"), "/srv/git/shop");
    assert.equal(normaliseRemote("/srv/git/shop"), "/srv/git/shop");
    assert.equal(normaliseRemote("https://git.example.com/Acme/Shop.git"), "git.example.com/Acme/Shop");
    assert.notEqual(normaliseRemote("/srv/git/Shop"), normaliseRemote("/srv/git/shop"));
  });

  it("different repositories stay different (owner, name, host)", () => {
    const distinct = ["github.com/acme/shop", "github.com/acme/shop2", "github.com/other/shop", "gitlab.com/acme/shop", "/srv/git/shop", "/srv/git/acme/shop"];
    assert.equal(new Set(distinct.map((u) => normaliseRemote(`https://${u.replace(/^\//, "local/")}`))).size, distinct.length);
    assert.notEqual(normaliseRemote("git@github.com:acme/shop.git"), normaliseRemote("git@github.com:acme/shop-api.git"));
  });

  it("never keeps a credential", () => {
    for (const url of ["https://user:hunter2@host.example/r.git", "ssh://git:hunter2@host.example/r", "https://hunter2@host.example/r", "https://host.example/r?access_token=hunter2"]) {
      assert.doesNotMatch(normaliseRemote(url), /hunter2|@/, url);
    }
  });
});

describe("gitOwner", () => {
  it("readable, within the annotation rules, one per repository path", () => {
    assert.match(gitOwner("github.com/acme/shop", ".meshdeploy.yaml"), /^shop-[0-9a-f]{12}$/);
    assert.match(gitOwner("github.com/acme/shop", "deploy/.meshdeploy.yaml"), /^shop-deploy-[0-9a-f]{12}$/);
    assert.notEqual(gitOwner("github.com/acme/shop", "deploy/prod.yaml"), gitOwner("github.com/acme/shop", "deploy/staging.yaml"));
    assert.notEqual(gitOwner("github.com/a/deploy", "deploy/.meshdeploy.yaml"), gitOwner("github.com/b/deploy", "deploy/.meshdeploy.yaml"));
  });

  it("fits OWNER_PATTERN for any remote and path, however long or strange", () => {
    const random = prng(12);
    const alphabet = "aZ9._-/ é@:\u200b\u0000ŞxY";
    const word = (n: number): string => Array.from({ length: n }, () => alphabet[Math.floor(random() * alphabet.length)]).join("");
    for (let i = 0; i < 500; i += 1) {
      const owner = gitOwner(word(Math.floor(random() * 120)), `${word(Math.floor(random() * 90))}/.meshdeploy.yaml`);
      assert.match(owner, OWNER_PATTERN, JSON.stringify(owner));
    }
  });

  it("describeOwner says where the owner came from", () => {
    assert.equal(describeOwner("shop", { type: "config" }), "shop");
    assert.equal(describeOwner("shop-1", { type: "git", remote: "github.com/acme/shop", path: "a.yaml" }), "shop-1 (from git github.com/acme/shop, a.yaml)");
    assert.match(describeOwner("deploy", { type: "directory", directory: "deploy" }), /directory name.*prune needs an explicit owner/);
  });
});
