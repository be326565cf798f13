// Fault injection in the real local room: each kind of fault on REST (429 with Retry-After, 5xx
// before and after the handler, dropped connections) and on room RPCs (error answers, dropped
// websockets), what the request log records, and that meshdeploy's client reacts as designed:
// Retry-After obeyed, an ambiguous POST re-listed and never duplicated.
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, beforeEach, describe, it } from "node:test";
import { loadConfig } from "../../src/config/load.js";
import { planDesired } from "../../src/reconcile.js";
import { parseFaultSpec, withSeed, type SeededFaultSpec } from "../../src/local/faults/fault-spec.js";
import { FaultInjector, type FaultKind } from "../../src/local/faults/injector.js";
import { startLocalRoom, type LocalRoom } from "../../src/local/server.js";
import { HttpClient } from "../../src/platform/http-client.js";
import { MeshagentTarget } from "../../src/platform/meshagent-target.js";
import { call, serviceBody, servicesPath, TOKEN } from "../helpers/local-room.js";
import { suiteTempDirs } from "../helpers/temp-dirs.js";
import { recordingRetry, servicesYaml } from "./helpers.js";

const spec = (text: string, seed = 1): SeededFaultSpec => withSeed(parseFaultSpec(text)!, () => seed);

/** The first seed whose REST decisions start with `kinds` (null = no fault): determinism lets a test pick its faults. */
function seedStartingWith(text: string, kinds: (FaultKind | null)[]): SeededFaultSpec {
  for (let seed = 0; seed < 100_000; seed += 1) {
    const injector = new FaultInjector(spec(text, seed));
    if (kinds.every((kind) => injector.decide("rest").kind === kind)) return spec(text, seed);
  }
  throw new Error(`no seed starts with ${kinds.join(",")}`);
}

describe("local room fault injection", () => {
  let dataDir: string;
  let room: LocalRoom;
  before(async () => {
    dataDir = await tempDir();
    room = await startLocalRoom({ dataDir, token: TOKEN, rooms: ["dev"], startDelayMs: 10 });
  });
  after(async () => {
    await room.close();
  });
  // Registered after the hook above: the dirs are removed once the room has closed.
  const tempDir = suiteTempDirs("faults");
  beforeEach(() => room.setFaults(null));
  const names = (): string[] => room.services("dev").map((s) => (s["metadata"] as { name: string }).name);

  it("429 carries Retry-After and an injected-fault message, and is logged as a fault", async () => {
    room.setFaults(spec("429=1,retry-after=2"));
    const answer = await call(room.url, "GET", "/config");
    assert.equal(answer.status, 429);
    assert.equal(answer.headers.get("retry-after"), "2");
    assert.equal(answer.body.error.message, "injected fault: too many requests, retry later");
    assert.deepEqual(room.requestLog.at(-1), { method: "GET", path: "/config", status: 429, fault: "429" });
    assert.equal(room.faultStats()!.rest["429"], 1);
  });

  it("a 5xx before the handler changes nothing; a 5xx after it keeps the change and loses the answer", async () => {
    room.setFaults(spec("5xx=1,after=0"));
    const refused = await call(room.url, "POST", servicesPath(), serviceBody("before-5xx"));
    assert.ok([500, 502, 503].includes(refused.status), String(refused.status));
    assert.match(refused.body.error.message, /^injected fault: server error 50[023]$/);
    room.setFaults(spec("5xx=1,after=1"));
    const lost = await call(room.url, "POST", servicesPath(), serviceBody("after-5xx"));
    assert.ok(lost.status >= 500);
    assert.equal(lost.body.id, undefined, "the id of the created service is not sent");
    assert.deepEqual(names(), ["after-5xx"]);
    assert.equal(room.requestLog.at(-1)?.fault, "5xx-after");
  });

  it("a dropped connection sends no answer at all; dropped after the handler, the change is made", async () => {
    room.setFaults(spec("drop=1,after=0"));
    await assert.rejects(call(room.url, "POST", servicesPath(), serviceBody("drop-before")), TypeError);
    assert.deepEqual(room.requestLog.at(-1), { method: "POST", path: servicesPath(), status: 0, fault: "drop-before" });
    room.setFaults(spec("drop=1,after=1"));
    await assert.rejects(call(room.url, "POST", servicesPath(), serviceBody("drop-after")), TypeError);
    assert.equal(room.requestLog.at(-1)?.fault, "drop-after");
    assert.ok(names().includes("drop-after"));
    assert.ok(!names().includes("drop-before"));
  });

  it("never hides a 401: auth is checked before any fault", async () => {
    room.setFaults(spec("5xx=0.5,drop=0.5"));
    for (let i = 0; i < 20; i += 1) assert.equal((await call(room.url, "GET", "/config", undefined, { token: null })).status, 401);
    assert.equal(room.faultStats()!.rest.none + room.faultStats()!.rest["5xx-before"], 0, "no decision was drawn for refused requests");
  });

  it("LocalRoom.services() reads state without faults; setFaults(null) stops injecting", async () => {
    room.setFaults(spec("5xx=1"));
    assert.ok(Array.isArray(room.services("dev")));
    assert.deepEqual(room.services("nope"), []);
    assert.ok((await call(room.url, "GET", servicesPath())).status >= 500);
    room.setFaults(null);
    assert.equal(room.faultStats(), null);
    assert.equal((await call(room.url, "GET", servicesPath())).status, 200);
  });

  it("the HTTP client obeys Retry-After on a 429 and gives up after its attempts", async () => {
    room.setFaults(spec("429=1,retry-after=1"));
    const asked: number[] = [];
    const http = new HttpClient({ baseUrl: room.url, token: TOKEN, retry: recordingRetry(asked) });
    try {
      await assert.rejects(http.send("GET", "/config"), /GET \/config → 429: injected fault: too many requests/);
      assert.deepEqual(asked, [1000, 1000, 1000]);
      assert.equal(http.requestCount, 4);
    } finally {
      await http.close();
    }
  });

  describe("createService after an ambiguous POST", () => {
    const projectDirs = suiteTempDirs("faults-project");
    let project: string;
    before(async () => {
      project = await projectDirs();
    });

    /** Plans one service (faults off), then creates it under `faults`; returns the id meshdeploy reports. */
    async function createUnder(faults: SeededFaultSpec, tagPrefix: string): Promise<{ id: string; name: string }> {
      const file = path.join(project, `${tagPrefix}.yaml`);
      await writeFile(file, servicesYaml(1, { owner: "faults", prefix: tagPrefix }));
      const target = new MeshagentTarget({ apiUrl: room.url, token: TOKEN, projectId: "local", retry: recordingRetry([]) });
      try {
        const { plan } = await planDesired(target, await loadConfig(file));
        const planned = plan.services[0]!;
        room.setFaults(faults);
        return { id: (await target.createService("dev", planned.body!)).id, name: planned.name };
      } finally {
        room.setFaults(null);
        await target.close();
      }
    }

    for (const kind of ["5xx-after", "drop-after", "5xx-before", "drop-before", "429"] as const) {
      it(`${kind}: re-lists, creates exactly one service and reports its real id`, async () => {
        // First the POST gets the fault, then every request (re-list, retried POST) goes through.
        const faults = seedStartingWith("5xx=0.1,429=0.1,drop=0.1,after=0.5,retry-after=0", [kind, null, null, null]);
        const { id, name } = await createUnder(faults, `amb-${kind}`);
        const matching = room.services("dev").filter((s) => (s["metadata"] as { name: string }).name === name);
        assert.equal(matching.length, 1, "exactly one service with the name");
        assert.equal(matching[0]!.id, id, "the id meshdeploy reports is the service's");
      });
    }
  });

  describe("room RPCs", () => {
    it("answers a call with an injected error, or makes the call and loses the answer", async () => {
      const id = (await call(room.url, "POST", servicesPath(), serviceBody("rpc-target"))).body.id as string;
      const target = new MeshagentTarget({ apiUrl: room.url, token: TOKEN, projectId: "local", room: { callTimeoutMs: 10_000, reconnectTimeoutMs: 5_000 } });
      try {
        const session = await target.room("dev");
        const mark = room.requestLog.length;
        const before = (await session.serviceStates()).get(id)!.containerId;
        room.setFaults(spec("5xx=1,after=1,scope=rpc"));
        await assert.rejects(session.restart(id), /room dev: services\.restart failed: injected fault: server error 50[023] \(code 1008\)/);
        room.setFaults(null);
        const afterRestart = (await session.serviceStates()).get(id)!.containerId;
        assert.notEqual(afterRestart, before, "the restart happened although its answer was an error");
        assert.ok(room.requestLog.slice(mark).every((entry) => entry.fault === undefined), "RPC faults do not touch REST");
      } finally {
        await target.close();
      }
    });

    it("drops the websocket: the call fails, the client reconnects, and the next call works", async () => {
      // A short reconnect budget: the official client leaves its reconnect deadline timer running
      // (room-client.js _attemptReconnect), which keeps a process alive that long after a drop.
      const target = new MeshagentTarget({ apiUrl: room.url, token: TOKEN, projectId: "local", room: { callTimeoutMs: 10_000, reconnectTimeoutMs: 2_000 } });
      try {
        const session = await target.room("dev");
        room.setFaults(spec("drop=1,scope=rpc"));
        await assert.rejects(session.serviceStates(), /room dev: services\.list failed: .*closed before request completed/);
        assert.equal(room.faultStats()!.rpc["drop-before"] + room.faultStats()!.rpc["drop-after"], 1);
        room.setFaults(null);
        let states: Map<string, unknown> | null = null;
        for (let attempt = 0; attempt < 50 && states === null; attempt += 1) {
          states = await session.serviceStates().catch(async () => {
            await new Promise((resolve) => setTimeout(resolve, 100));
            return null;
          });
        }
        assert.ok(states !== null, "a call after the drop succeeds once the client has reconnected");
      } finally {
        await target.close();
      }
    });
  });
});
