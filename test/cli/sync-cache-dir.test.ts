// The sync clone's cache directory is named by the repository and ref, not by the credentials in
// the URL: rotating a token (or adding one) reuses the clone instead of cloning again beside it.
import assert from "node:assert/strict";
import path from "node:path";
import { describe, it } from "node:test";
import { syncCacheDir } from "../../src/cli/commands/sync.js";

const CWD = "/work/project";

describe("syncCacheDir", () => {
  it("is the same directory whatever token the URL carries", () => {
    const first = syncCacheDir(CWD, "https://x:tok1@host/r.git", "main");
    assert.equal(syncCacheDir(CWD, "https://x:tok2@host/r.git", "main"), first);
    assert.equal(syncCacheDir(CWD, "https://tok3@host/r.git", "main"), first, "a token as the user name");
    assert.equal(syncCacheDir(CWD, "https://host/r.git", "main"), first, "no credentials at all");
    assert.equal(syncCacheDir(CWD, "ssh://git:pw1@host/r.git", undefined), syncCacheDir(CWD, "ssh://git:pw2@host/r.git", undefined));
  });

  it("differs per repository and per ref, and lives under the state directory", () => {
    const dir = syncCacheDir(CWD, "https://x:tok1@host/r.git", "main");
    assert.notEqual(syncCacheDir(CWD, "https://x:tok1@host/other.git", "main"), dir);
    assert.notEqual(syncCacheDir(CWD, "https://x:tok1@other-host/r.git", "main"), dir);
    assert.notEqual(syncCacheDir(CWD, "https://x:tok1@host/r.git", "release"), dir);
    assert.notEqual(syncCacheDir(CWD, "https://x:tok1@host/r.git", undefined), dir);
    assert.match(path.relative(CWD, dir), /^\.meshdeploy\/[^/]+\/[0-9a-f]{16}$/);
    assert.ok(!dir.includes("tok1"));
  });
});
