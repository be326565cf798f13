import assert from "node:assert/strict";
import { test } from "node:test";
import { stripCredentials } from "../../src/git/strip-credentials.js";

test("http(s) URLs lose user, password, token, query and fragment", () => {
  assert.equal(stripCredentials("https://user:t0ken@github.com/acme/shop.git"), "https://github.com/acme/shop.git");
  assert.equal(stripCredentials("https://x-access-token:ghs_abc123@github.com/acme/shop"), "https://github.com/acme/shop");
  assert.equal(stripCredentials("https://ghp_tokenonly@github.com/acme/shop.git"), "https://github.com/acme/shop.git");
  assert.equal(stripCredentials("http://host:8080/r.git?private_token=abc#frag"), "http://host:8080/r.git");
  assert.equal(stripCredentials("  https://github.com/acme/shop.git\n"), "https://github.com/acme/shop.git");
});

test("ssh keeps the user (no secret) and loses a password; paths and file URLs are unchanged", () => {
  assert.equal(stripCredentials("ssh://git@github.com/acme/shop.git"), "ssh://git@github.com/acme/shop.git");
  assert.equal(stripCredentials("ssh://deploy:hunter2@host:2222/x.git"), "ssh://deploy@host:2222/x.git");
  assert.equal(stripCredentials("git@github.com:acme/shop.git"), "git@github.com:acme/shop.git");
  assert.equal(stripCredentials("deploy:hunter2@host:acme/shop.git"), "deploy@host:acme/shop.git");
  assert.equal(stripCredentials("file:///srv/git/shop.git"), "file:///srv/git/shop.git");
  assert.equal(stripCredentials("/srv/git/shop.git"), "/srv/git/shop.git");
});
