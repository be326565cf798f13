// services.list at platform 0.50.1: states carry `status.ports[]` liveness (not_configured /
// not_ready for `livenessDelayMs` after running / ready), `events` and `last_start_error`; a service
// with `enabled: false` is never started, not even by services.restart. At 0.39.9 the state keeps
// its eight 0.39 fields.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { serviceState050 } from "../../src/local/room/service-states.js";
import type { ServiceRuntimeState } from "../../src/local/runtime/service-lifecycle.js";
import type { ServiceRecord } from "../../src/local/state.js";
import { PID, serviceBody, servicesPath, startTestRoom, type TestRoom } from "../helpers/local-room.js";
import { waitFor } from "../helpers/wait.js";
import { RawRoomSocket } from "./raw-room-socket.js";

const STATE_050_KEYS = [
  "service_id", "state", "container_id", "restart_scheduled_at", "started_at", "restart_count", "last_exit_code", "last_exit_at",
  "last_start_error", "last_start_error_at", "status", "events",
];

async function openSocket(t: TestRoom, header: boolean): Promise<RawRoomSocket> {
  const connected = await t.api("POST", `/accounts/projects/${PID}/rooms/dev/connect`, {});
  const { jwt, room_url: url } = connected.body;
  const socket = header
    ? await RawRoomSocket.open(url, { headers: { Authorization: `Bearer ${jwt}` } })
    : await RawRoomSocket.open(`${url}?token=${jwt}`);
  await socket.next();
  await socket.next();
  return socket;
}

let nextId = 1n;
async function invoke(socket: RawRoomSocket, tool: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
  const [toolkit, name] = tool.split(".");
  return (await socket.request(nextId++, "room.invoke_tool", { toolkit, tool: name, arguments: { type: "json", json: input } })).header;
}

async function stateOf(socket: RawRoomSocket, id: string): Promise<Record<string, any>> {
  const listed = await invoke(socket, "services.list", {});
  const states = (listed.json as { service_states: Record<string, any>[] }).service_states;
  const state = states.find((each) => each.service_id === id);
  assert.ok(state, `a state for ${id}`);
  return state;
}

describe("local room 0.50.1: service states", { timeout: 30_000 }, () => {
  let t: TestRoom;
  let socket: RawRoomSocket;
  before(async () => {
    // Delays long enough that a loaded machine still sees each phase (the test polls, never sleeps).
    t = await startTestRoom({ platform: "0.50.1", startDelayMs: 600, livenessDelayMs: 1_500 });
    socket = await openSocket(t, true);
  });
  after(async () => {
    socket.socket.close(1000);
    await t.dispose();
  });

  it("reports per-port liveness: not_ready after running for livenessDelayMs, then ready; no liveness → not_configured", async () => {
    const created = await t.api("POST", servicesPath(), serviceBody("web", { ports: [{ num: 8000, liveness: "/healthz" }, { num: 9000 }] }));
    const id: string = created.body.id;
    const starting = await stateOf(socket, id);
    assert.deepEqual(Object.keys(starting), STATE_050_KEYS);
    assert.equal(starting.state, "starting");
    assert.equal(starting.last_start_error, null);
    assert.equal(starting.last_start_error_at, null);
    assert.deepEqual(starting.status.ports, [
      { num: 8000, liveness: "/healthz", liveness_status: "not_ready", last_checked_at: null, last_error: null },
      { num: 9000, liveness: null, liveness_status: "not_configured", last_checked_at: null, last_error: null },
    ]);
    assert.deepEqual(starting.events.map((event: { type: string; reason: string; count: number }) => [event.type, event.reason, event.count]), [["Normal", "Started", 1]]);
    assert.match(starting.events[0].message, /^container [0-9a-f]{64} started from registry\.meshagent\.com\/local\/web:1$/);

    await waitFor("running", async () => (await stateOf(socket, id)).state === "running");
    const running = await stateOf(socket, id);
    assert.equal(running.status.ports[0].liveness_status, "not_ready", "still within livenessDelayMs");
    assert.equal(typeof running.status.ports[0].last_checked_at, "number");
    assert.match(running.status.ports[0].last_error, /GET \/healthz has not answered 200 yet/);
    await waitFor("ready", async () => (await stateOf(socket, id)).status.ports[0].liveness_status === "ready");
    const ready = await stateOf(socket, id);
    assert.equal(ready.status.ports[0].last_error, null);
    assert.equal(ready.status.ports[1].liveness_status, "not_configured");
  });

  it("never starts a disabled service, not on create nor on restart; enabling it starts it", async () => {
    const created = await t.api("POST", servicesPath(), serviceBody("off", { enabled: false, ports: [{ num: 8000, liveness: "/" }] }));
    const id: string = created.body.id;
    const stopped = await stateOf(socket, id);
    assert.equal(stopped.state, "stopped");
    assert.equal(stopped.container_id, null);
    assert.equal(stopped.started_at, null);
    assert.deepEqual(stopped.status.ports, [{ num: 8000, liveness: "/", liveness_status: "not_ready", last_checked_at: null, last_error: null }]);
    assert.deepEqual(stopped.events.map((event: { reason: string }) => event.reason), ["Disabled"]);

    assert.deepEqual(await invoke(socket, "services.restart", { service_id: id }), { type: "empty" });
    await new Promise((resolve) => setTimeout(resolve, 100)); // several start delays
    assert.equal((await stateOf(socket, id)).state, "stopped", "a restart does not start a disabled service");

    const stored = (await t.api("GET", `${servicesPath()}/${id}`)).body;
    assert.equal((await t.api("PUT", `${servicesPath()}/${id}`, { ...stored, enabled: true })).status, 200);
    await waitFor("running once enabled", async () => (await stateOf(socket, id)).state === "running");
  });

  it("counts crash-loop exits as one BackOff event", async () => {
    const created = await t.api("POST", servicesPath(), serviceBody("crash", { container: { image: "i:1", environment: [{ name: "MESHDEPLOY_LOCAL_CRASH", value: "3" }] } }));
    const id: string = created.body.id;
    await waitFor("three restarts", async () => (await stateOf(socket, id)).restart_count >= 3);
    const state = await stateOf(socket, id);
    const backOff = state.events.find((event: { reason: string }) => event.reason === "BackOff");
    assert.equal(backOff.type, "Warning");
    assert.equal(backOff.message, "container exited with code 3; restarting");
    assert.ok(backOff.count >= 2, "repeated exits count up");
    assert.ok(backOff.last_timestamp > backOff.first_timestamp);
  });
});

describe("local room 0.39.9 (the default today): service states", () => {
  let t: TestRoom;
  before(async () => {
    t = await startTestRoom({ platform: "0.39.9", startDelayMs: 20 });
  });
  after(() => t.dispose());

  it("keep the eight 0.39 fields", async () => {
    const socket = await openSocket(t, false);
    try {
      const created = await t.api("POST", servicesPath(), serviceBody("web", { ports: [{ num: 8000, liveness: "/healthz" }] }));
      assert.deepEqual(Object.keys(await stateOf(socket, created.body.id)), STATE_050_KEYS.slice(0, 8));
    } finally {
      socket.socket.close(1000);
    }
  });
});

describe("serviceState050", () => {
  const state: ServiceRuntimeState = {
    service_id: "s", state: "running", container_id: "c", restart_scheduled_at: null, started_at: 100, restart_count: 0, last_exit_code: null, last_exit_at: null,
  };
  const service = { id: "s", ports: [{ num: 8000, liveness: "/ok" }, { num: "*" }] } as ServiceRecord;

  it("is not_ready until the delay has passed since the container ran, then ready", () => {
    const before = serviceState050(service, state, { running_since: 101, events: [] }, 101.2, 500);
    assert.deepEqual((before.status as { ports: unknown[] }).ports, [
      { num: 8000, liveness: "/ok", liveness_status: "not_ready", last_checked_at: 101.2, last_error: "GET /ok has not answered 200 yet (the local room reports ready 500 ms after the container runs)" },
      { num: "*", liveness: null, liveness_status: "not_configured", last_checked_at: null, last_error: null },
    ]);
    const after = serviceState050(service, state, { running_since: 101, events: [] }, 101.5, 500);
    assert.equal((after.status as { ports: { liveness_status: string }[] }).ports[0]?.liveness_status, "ready");
    const crashed = serviceState050(service, { ...state, state: "restarting" }, { running_since: null, events: [] }, 200, 0);
    assert.equal((crashed.status as { ports: { liveness_status: string }[] }).ports[0]?.liveness_status, "not_ready", "a container that does not run is never ready");
  });
});
