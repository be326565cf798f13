// Service accounts and their secrets at platform 0.50.1, driven the way the 0.50.1 client and CLI
// call them (create the account, find it by email, create a secret, add a version, read it back),
// plus what the generation no longer has: the `secrets` room toolkit. At 0.39.9 none of it exists.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { startLocalRoom } from "../../src/local/server.js";
import { call, PID, startTestRoom, TOKEN, type TestRoom } from "../helpers/local-room.js";
import { RawRoomSocket } from "./raw-room-socket.js";

const ACCOUNTS = `/accounts/projects/${PID}/service-accounts`;
const VALUE = Buffer.from("hunter2").toString("base64");

describe("local room 0.50.1: service accounts", { timeout: 30_000 }, () => {
  let t: TestRoom;
  before(async () => {
    t = await startTestRoom({ platform: "0.50.1" });
  });
  after(() => t.dispose());

  it("creates, finds (by id, name, email filter), pages and deletes service accounts", async () => {
    const created = await t.api("POST", ACCOUNTS, { name: "Web Bot", description: "" });
    assert.equal(created.status, 200, created.text);
    const account = created.body;
    assert.deepEqual(Object.keys(account), ["id", "project_id", "key", "name", "email", "display_name", "description", "metadata", "annotations", "created_at", "updated_at"]);
    assert.equal(account.project_id, PID);
    assert.equal(account.key, "web-bot");
    assert.equal(account.email, "web-bot@service.local.local");
    assert.equal(account.display_name, null);
    assert.equal((await t.api("POST", ACCOUNTS, { name: "Web Bot" })).status, 409);
    assert.equal((await t.api("POST", ACCOUNTS, { name: "other", key: "web-bot" })).status, 409);
    assert.equal((await t.api("POST", ACCOUNTS, { name: "x", key: "Bad Key" })).status, 400);
    assert.equal((await t.api("POST", ACCOUNTS, {})).status, 400);
    const second = (await t.api("POST", ACCOUNTS, { name: "worker", key: "worker", display_name: "Worker" })).body;

    assert.deepEqual((await t.api("GET", `${ACCOUNTS}/${account.id}`)).body, account);
    assert.deepEqual((await t.api("GET", `${ACCOUNTS}/by-name/${encodeURIComponent("Web Bot")}`)).body, account);
    assert.equal((await t.api("GET", `${ACCOUNTS}/by-name/ghost`)).status, 404);
    // The 0.50.1 CLI resolves `--subject <email>` by listing with filter=<email>, then filter=<local part>.
    const byEmail = await t.api("GET", `${ACCOUNTS}?page_size=100&filter=${encodeURIComponent(account.email)}`);
    assert.deepEqual(byEmail.body, { service_accounts: [account], continuation_token: null });
    const first = await t.api("GET", `${ACCOUNTS}?page_size=1`);
    assert.deepEqual(first.body.service_accounts.map((a: { id: string }) => a.id), [account.id]);
    assert.equal(typeof first.body.continuation_token, "string");
    const rest = await t.api("GET", `${ACCOUNTS}?page_size=1&continuation_token=${first.body.continuation_token}`);
    assert.deepEqual(rest.body, { service_accounts: [second], continuation_token: null });
    assert.equal((await t.api("GET", `${ACCOUNTS}?continuation_token=nonsense`)).status, 400);

    assert.deepEqual((await t.api("DELETE", `${ACCOUNTS}/${second.id}`)).body, {});
    assert.equal((await t.api("GET", `${ACCOUNTS}/${second.id}`)).status, 404);
  });

  it("secrets: create without a value, add a version, never echo the value unless asked", async () => {
    const account = (await t.api("POST", ACCOUNTS, { name: "secret-holder" })).body;
    const base = `${ACCOUNTS}/${account.id}/secrets`;
    const created = await t.api("POST", base, { name: "DB_PASSWORD", type: "opaque", http_only: false });
    assert.equal(created.status, 200, created.text);
    const secret = created.body;
    assert.deepEqual(Object.keys(secret), [
      "id", "project_id", "owner_user_id", "owner_service_account_id", "created_by_user_id", "created_by_service_account_id",
      "type", "name", "http_only", "metadata", "annotations", "current_version_id", "created_at", "updated_at",
    ]);
    assert.equal(secret.owner_service_account_id, account.id);
    assert.equal(secret.current_version_id, null);
    assert.equal((await t.api("POST", base, { name: "DB_PASSWORD" })).status, 409);

    const version = await t.api("POST", `${base}/${secret.id}/versions`, { value_base64: VALUE, set_current: true });
    assert.equal(version.status, 200, version.text);
    assert.deepEqual(Object.keys(version.body), ["id", "secret_id", "version", "value_sha256", "created_by_user_id", "created_by_service_account_id", "created_at"]);
    assert.equal(version.body.version, 1);
    assert.equal(version.body.value_sha256, "f52fbd32b2b3b86ff88ef6c490628285f482af15ddcb29541f94bcf526a3f6c7");
    assert.equal((await t.api("POST", `${base}/${secret.id}/versions`, { value_base64: "not base64!" })).status, 400);

    const plain = await t.api("GET", `${base}/${secret.id}`);
    assert.equal(plain.body.current_version_id, version.body.id);
    assert.equal("value_base64" in plain.body, false);
    assert.equal((await t.api("GET", `${base}/${secret.id}?include_value=true`)).body.value_base64, VALUE);
    const accessed = await t.api("GET", `${base}/${secret.id}/versions/${version.body.id}:access`);
    assert.deepEqual(accessed.body, { secret_id: secret.id, version_id: version.body.id, value_base64: VALUE });
    assert.equal((await t.api("GET", `${base}/${secret.id}/versions/${version.body.id}`)).status, 404);

    const listed = await t.api("GET", `${base}?page_size=100`);
    assert.equal(listed.body.secrets.length, 1);
    assert.equal(listed.text.includes(VALUE), false, "a listing never carries a value");
    assert.deepEqual((await t.api("GET", `${base}/${secret.id}/versions`)).body, { versions: [version.body] });
    const searched = await t.api("POST", `${base}:search`, { page_size: 100, name: "DB_PASSWORD" });
    assert.deepEqual(searched.body.secrets.map((s: { id: string }) => s.id), [secret.id]);
    assert.deepEqual((await t.api("POST", `${base}:search`, { name: "nope" })).body, { secrets: [], continuation_token: null });

    const patched = await t.api("PATCH", `${base}/${secret.id}`, { annotations: { a: "b" } });
    assert.deepEqual(patched.body.annotations, { a: "b" });
    assert.equal(patched.body.name, "DB_PASSWORD");

    const state = (await readFile(path.join(t.dataDir, "state.json"), "utf8")) + (await readFile(path.join(t.dataDir, "state.journal"), "utf8").catch(() => ""));
    assert.ok(state.includes(VALUE), "values are stored in the data dir, like 0.39 room secrets");
    assert.equal(t.room.requestLog.some((entry) => entry.path.includes(VALUE)), false);

    assert.deepEqual((await t.api("DELETE", `${base}/${secret.id}/versions/${version.body.id}`)).body, {});
    assert.equal((await t.api("GET", `${base}/${secret.id}?include_value=true`)).body.value_base64, null);
    assert.deepEqual((await t.api("DELETE", `${base}/${secret.id}`)).body, {});
    assert.equal((await t.api("GET", `${base}/${secret.id}`)).status, 404);
    assert.equal((await t.api("GET", `${ACCOUNTS}/ghost/secrets`)).status, 404);
  });

  it("has no secrets room toolkit: secrets.exists fails as an unknown tool", async () => {
    const connected = await t.api("POST", `/accounts/projects/${PID}/rooms/dev/connect`, {});
    const socket = await RawRoomSocket.open(connected.body.room_url, { headers: { Authorization: `Bearer ${connected.body.jwt}` } });
    await socket.next();
    await socket.next();
    const answer = await socket.request(1n, "room.invoke_tool", { toolkit: "secrets", tool: "exists", arguments: { type: "json", json: { secret_id: "s" } } });
    assert.deepEqual(answer.header, { type: "error", text: "unknown tool secrets.exists", code: 1003 });
    socket.socket.close(1000);
  });
});

describe("local room 0.50.1: service accounts persist", () => {
  it("reads accounts, secrets and versions back after a restart", async () => {
    const t = await startTestRoom({ platform: "0.50.1" });
    const account = (await t.api("POST", ACCOUNTS, { name: "keeper" })).body;
    const secret = (await t.api("POST", `${ACCOUNTS}/${account.id}/secrets`, { name: "K" })).body;
    await t.api("POST", `${ACCOUNTS}/${account.id}/secrets/${secret.id}/versions`, { value_base64: VALUE });
    await t.room.close();
    const again = await startLocalRoom({ dataDir: t.dataDir, token: TOKEN, platform: "0.50.1" });
    try {
      assert.deepEqual((await call(again.url, "GET", `${ACCOUNTS}/${account.id}`)).body, account);
      assert.equal((await call(again.url, "GET", `${ACCOUNTS}/${account.id}/secrets/${secret.id}?include_value=true`)).body.value_base64, VALUE);
    } finally {
      await again.close();
      await t.dispose();
    }
  });
});

describe("local room 0.39.9 (the default today): no service accounts", () => {
  it("answers 404 for the service-account paths", async () => {
    const t = await startTestRoom({ platform: "0.39.9" });
    try {
      assert.equal((await t.api("GET", ACCOUNTS)).status, 404);
      assert.equal((await t.api("POST", ACCOUNTS, { name: "x" })).status, 404);
    } finally {
      await t.dispose();
    }
  });
});
