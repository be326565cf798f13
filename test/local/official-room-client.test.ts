// Contract test: the official @meshagent/meshagent@0.39.9 client, unchanged, against the local
// room's websocket — connectRoom, containers.build / getBuildLogs / listBuilds,
// services.listWithState / restart, secrets.exists, and the refusals at the upgrade.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { waitFor } from "../helpers/wait.js";
import { PID, serviceBody, servicesPath, startTestRoom, type TestRoom, TOKEN } from "../helpers/local-room.js";
import { chunksOf, connectRoomClient, disposeSoon, sdk, startRoomClient, type RoomClient } from "./room-client.js";
import { writeTar } from "./tar-writer.js";

const DOCKERFILE = [
  "# syntax=docker/dockerfile:1",
  "FROM node:20 AS build",
  "WORKDIR /app",
  "COPY app/ /app",
  "RUN npm ci \\",
  "    && npm run build",
  "FROM node:20-slim",
  "COPY --from=build /app/dist /srv",
  'CMD ["node", "/srv/index.js"]',
].join("\n");

const CONTEXT = writeTar([
  { path: "Dockerfile", content: DOCKERFILE },
  { path: "app", type: "directory" },
  { path: "app/package.json", content: "{}" },
  { path: "app/index.js", content: "console.log(1)" },
  { path: "app/lib/util.js", content: "export {}" },
]);

async function drain(logs: { stream: AsyncIterable<string>; result: Promise<number | null> }): Promise<{ lines: string[]; status: number | null }> {
  const lines: string[] = [];
  for await (const line of logs.stream) lines.push(line);
  return { lines, status: await logs.result };
}

describe("local room websocket: official @meshagent/meshagent client", { timeout: 30_000 }, () => {
  let t: TestRoom;
  let client: RoomClient;
  before(async () => {
    t = await startTestRoom({ rooms: ["dev", "other"], startDelayMs: 100, platform: "0.39.9" });
    client = (await connectRoomClient(t.room.url)).client;
  });
  after(async () => {
    await disposeSoon(client);
    await t.dispose();
  });

  it("connectRoom reports the room's websocket URL; start() completes the handshake", async () => {
    const info = await new sdk.Meshagent({ baseUrl: t.room.url, token: TOKEN }).connectRoom(PID, "dev");
    assert.equal(info.roomUrl, `ws://127.0.0.1:${t.room.port}/rooms/dev`);
    assert.equal(info.roomName, "dev");
    assert.equal(info.projectId, PID);
    assert.ok(info.jwt.length >= 32);
    assert.equal(client.roomName, "dev");
    assert.equal(client.roomUrl, info.roomUrl);
    assert.match(client.sessionId ?? "", /^session-[0-9a-f-]{36}$/);
    assert.ok(client.localParticipant !== null);
    await assert.rejects(new sdk.Meshagent({ baseUrl: t.room.url, token: TOKEN }).connectRoom(PID, "nope"), /Status code: 404/);
  });

  it("builds a context sent in pieces, follows its logs to status 0, lists the build and records the image", async () => {
    const tag = "registry.meshagent.com/local/web:1";
    const buildId = await client.containers.build({
      tag,
      mountPath: "/context",
      contextPath: "/context",
      dockerfilePath: "/context/Dockerfile",
      chunks: chunksOf(CONTEXT, 700),
      size: CONTEXT.length,
      credentials: [{ registry: "registry.meshagent.com", username: "x", password: "very-secret-password" }],
    });
    assert.equal(typeof buildId, "string");
    const { lines, status } = await drain(client.containers.getBuildLogs({ buildId, follow: true }));
    assert.equal(status, 0, lines.join(""));
    const digest = `sha256:${createHash("sha256").update(CONTEXT).digest("hex")}`;
    assert.ok(lines.every((line) => line.endsWith("\n")));
    assert.ok(lines.includes("#3 COPY app/ /app — checked: 3 files\n"), lines.join(""));
    assert.ok(lines.includes("#4 RUN npm ci && npm run build — not executed (the local room checks instructions; it does not run them)\n"));
    assert.ok(lines.some((line) => line.startsWith("#6 COPY --from=build /app/dist /srv — not checked")));
    assert.ok(lines.some((line) => line.includes(`image ${tag} recorded as ${digest}`)));
    assert.ok(!lines.join("").includes("very-secret-password"));

    const builds = await client.containers.listBuilds();
    assert.deepEqual(builds.find((build) => build.id === buildId), { id: buildId, tag, status: "succeeded", exitCode: 0 });
    const image = t.room.images().find((recorded) => recorded.tag === tag);
    assert.deepEqual({ ...image, created_at: undefined }, { tag, digest, build_id: buildId, created_at: undefined });
    const record = t.room.builds().find((build) => build.id === buildId);
    assert.equal(record?.room, "dev");
    assert.equal(record?.digest, digest);

    const replay = await drain(client.containers.getBuildLogs({ buildId, follow: false }));
    assert.deepEqual(replay, { lines, status: 0 });
    await sleep(50);
  });

  it("a failing Dockerfile ends with a non-zero status and the reason in the streamed lines", async () => {
    const context = writeTar([{ path: "Dockerfile", content: "FROM alpine\nCOPY missing.txt /x\nFROBNICATE now\n" }]);
    const buildId = await client.containers.build({ tag: "local/bad:1", mountPath: "/context", contextPath: "/context", chunks: chunksOf(context, 4096) });
    const { lines, status } = await drain(client.containers.getBuildLogs({ buildId }));
    assert.equal(status, 1);
    assert.ok(lines.includes('#2 COPY missing.txt /x — error: source "missing.txt" not found in the build context (Dockerfile line 2)\n'), lines.join(""));
    assert.ok(lines.includes("#3 FROBNICATE now — error: unknown instruction FROBNICATE (Dockerfile line 3)\n"));
    assert.deepEqual((await client.containers.listBuilds()).find((build) => build.id === buildId), { id: buildId, tag: "local/bad:1", status: "failed", exitCode: 1 });
    assert.equal(t.room.images().some((image) => image.tag === "local/bad:1"), false);
    await sleep(50);
  });

  it("getBuildLogs of an unknown build rejects with NOT_FOUND (1003)", async () => {
    const logs = client.containers.getBuildLogs({ buildId: "no-such-build" });
    await assert.rejects(logs.result, (error: Error & { code?: number }) => {
      assert.equal(error.message, "build not found: no-such-build");
      assert.equal(error.code, 1003);
      return true;
    });
    await sleep(50);
  });

  it("a build without a start tag is rejected with INVALID_REQUEST (1002)", async () => {
    await assert.rejects(
      client.containers.build({ tag: "", mountPath: "/context", contextPath: "/context", chunks: chunksOf(CONTEXT, 1024) }),
      (error: Error & { code?: number }) => error.code === 1002 && /non-empty "tag"/.test(error.message),
    );
    await sleep(50);
  });

  it("services: starting then running; restart gives a new container; unknown id is SERVICE_NOT_FOUND (7001)", async () => {
    const created = await t.api("POST", servicesPath(), serviceBody("lifecycle-web"));
    const id: string = created.body.id;
    const first = await client.services.listWithState();
    const spec = first.services.find((service) => service.id === id);
    assert.equal(spec?.metadata.name, "lifecycle-web");
    const starting = first.serviceStates[id];
    assert.equal(starting?.state, "starting");
    assert.equal(starting?.restartCount, 0);
    assert.match(starting?.containerId ?? "", /^[0-9a-f]{64}$/);
    assert.equal(typeof starting?.startedAt, "number");
    await waitFor("running", async () => (await client.services.listWithState()).serviceStates[id]?.state === "running");
    const running = (await client.services.listWithState()).serviceStates[id];
    assert.equal(running?.state, "running");
    assert.equal(running?.containerId, starting?.containerId);

    await client.services.restart({ serviceId: id });
    const restarted = (await client.services.listWithState()).serviceStates[id];
    assert.equal(restarted?.state, "starting");
    assert.notEqual(restarted?.containerId, running?.containerId);
    await waitFor("running again", async () => (await client.services.listWithState()).serviceStates[id]?.state === "running");
    assert.deepEqual(
      { ...(await client.services.listWithState()).serviceStates[id], startedAt: 0 },
      { ...restarted, state: "running", startedAt: 0 },
      "the new container runs; nothing else changed",
    );
    assert.deepEqual((await client.services.list()).map((service) => service.id), first.services.map((service) => service.id));

    await assert.rejects(client.services.restart({ serviceId: "missing" }), (error: Error & { code?: number }) => {
      assert.equal(error.message, "service not found: missing");
      assert.equal(error.code, 7001);
      return true;
    });
  });

  it("the crash-loop switch MESHDEPLOY_LOCAL_CRASH makes the container restart over and over", async () => {
    const body = serviceBody("crashy", { container: { image: "x:1", environment: [{ name: "MESHDEPLOY_LOCAL_CRASH", value: "3" }] } });
    const id: string = (await t.api("POST", servicesPath(), body)).body.id;
    await waitFor("two restarts", async () => ((await client.services.listWithState()).serviceStates[id]?.restartCount ?? 0) >= 2);
    const state = (await client.services.listWithState()).serviceStates[id];
    assert.equal(state?.state, "restarting");
    assert.ok((state?.restartCount ?? 0) >= 2, `restart_count ${state?.restartCount}`);
    assert.equal(state?.lastExitCode, 3);
    assert.equal(typeof state?.lastExitAt, "number");
    // An update without the switch starts a healthy container.
    await t.api("PUT", `${servicesPath()}/${id}`, serviceBody("crashy"));
    await waitFor("a healthy container", async () => (await client.services.listWithState()).serviceStates[id]?.state === "running");
    const healed = (await client.services.listWithState()).serviceStates[id];
    assert.equal(healed?.state, "running");
    assert.equal(healed?.restartCount, 0);
    assert.equal(healed?.lastExitCode, undefined);
  });

  it("secrets.exists matches the id and the identity", async () => {
    const path = `/accounts/projects/${PID}/rooms/dev/secrets`;
    const created = await t.api("POST", path, { data_base64: Buffer.from("hunter2").toString("base64"), secret_id: "db-password", for_identity: "agent@example.com" });
    assert.equal(created.status, 200, created.text);
    assert.equal(await client.secrets.exists({ secretId: "db-password", forIdentity: "agent@example.com" }), true);
    assert.equal(await client.secrets.exists({ secretId: "db-password", forIdentity: "other@example.com" }), false);
    assert.equal(await client.secrets.exists({ secretId: "db-password" }), false);
    assert.equal(await client.secrets.exists({ secretId: "nope", forIdentity: "agent@example.com" }), false);
  });

  it("secrets.set_secret (binary arguments, as `meshagent room secret set` sends them) upserts per identity; list_secrets and delete_secret are the caller's own", async () => {
    await client.secrets.setSecret({ secretId: "api-token", forIdentity: "web", data: new TextEncoder().encode("first") });
    assert.equal(await client.secrets.exists({ secretId: "api-token", forIdentity: "web" }), true);
    assert.equal(await client.secrets.exists({ secretId: "api-token" }), false, "another identity's secret");
    await client.secrets.setSecret({ secretId: "api-token", forIdentity: "web", data: new TextEncoder().encode("second"), name: "token" });
    const stored = await t.api("GET", `/accounts/projects/${PID}/rooms/dev/secrets/api-token?for_identity=web`);
    assert.equal(stored.status, 200, stored.text);
    assert.equal(Buffer.from(stored.body.data_base64, "base64").toString(), "second");
    assert.equal(stored.body.name, "token");
    await client.secrets.setSecret({ secretId: "mine", data: new TextEncoder().encode("x") });
    const listed = await client.secrets.listSecrets();
    assert.ok(listed.some((s: { id: string }) => s.id === "mine") && !listed.some((s: { id: string }) => s.id === "api-token"), JSON.stringify(listed));
    await client.secrets.deleteSecret({ secretId: "mine" });
    assert.equal(await client.secrets.exists({ secretId: "mine" }), false);
    await assert.rejects(client.secrets.deleteSecret({ secretId: "mine" }), /not found/);
  });

  it("refuses a bad token with 403 and an unknown room with 404, without crashing the client process", async () => {
    const url = `ws://127.0.0.1:${t.room.port}/rooms/dev`;
    await assert.rejects(startRoomClient(url, "not-a-room-token"), /websocket connect failed with status 403: Forbidden/);
    const otherRoomToken = (await new sdk.Meshagent({ baseUrl: t.room.url, token: TOKEN }).connectRoom(PID, "other")).jwt;
    await assert.rejects(startRoomClient(url, otherRoomToken), /status 403/);
    await assert.rejects(startRoomClient(`ws://127.0.0.1:${t.room.port}/rooms/ghost`, otherRoomToken), /status 404/);
    await sleep(50);
    assert.ok(t.room.requestLog.some((entry) => entry.path === "/rooms/dev" && entry.status === 403));
  });
});
