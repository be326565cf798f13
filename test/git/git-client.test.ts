import assert from "node:assert/strict";
import { test } from "node:test";
import { gitMessage } from "../../src/git/git-client.js";

test("gitMessage keeps the fatal line and strips credentials and queries from the URLs in it", () => {
  const error = new Error(
    "Cloning into 'x'...\nfatal: unable to access 'https://127.0.0.1:1/acme/x.git?access_token=QQQ/': Failed to connect to 127.0.0.1 port 1",
  );
  assert.equal(gitMessage(error), "unable to access 'https://127.0.0.1:1/acme/x.git': Failed to connect to 127.0.0.1 port 1");
  assert.equal(gitMessage(new Error("fatal: repository 'https://bob:hunter2pw@host/r.git/' not found")), "repository 'https://host/r.git/' not found");
  assert.equal(gitMessage(new Error("error: something\n")), "error: something");
  assert.equal(gitMessage("plain"), "plain");
});
