// Prune safety as a property: over random live rooms with mixed owners — ours, another
// meshdeploy owner, another tool, near-misses of our annotations (case, spaces), none at all —
// and random desired sets, `--prune` deletes exactly the services that meshdeploy manages for
// this owner and the config no longer declares, and never another. Then the same property end
// to end through the local room: every service we do not own is left byte-for-byte unchanged.
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { loadConfig } from "../../src/config/load.js";
import { applyRun, planDesired } from "../../src/reconcile.js";
import { startLocalRoom, type LocalRoom } from "../../src/local/server.js";
import { isOwnedBy, MANAGED_BY, OWNER } from "../../src/model/annotations.js";
import type { LiveService, ServiceSpec } from "../../src/model/service-spec.js";
import { dumpServiceSpec } from "../../src/model/spec-model.js";
import { computePlan } from "../../src/plan/compute-plan.js";
import type { LiveRoom } from "../../src/plan/types.js";
import { HttpClient } from "../../src/platform/http-client.js";
import { MeshagentTarget } from "../../src/platform/meshagent-target.js";
import { TOKEN } from "../helpers/local-room.js";
import { deepFreeze, prng, service } from "../helpers/services.js";
import { suiteTempDirs } from "../helpers/temp-dirs.js";
import { forEachPlatform } from "../helpers/platforms.js";

const OWNER_NAME = "shop";
const ROOMS = ["dev", "staging"];

/** Annotation sets a live service may carry; only the first is ours. */
const OWNERSHIPS: (Record<string, string> | null)[] = [
  { [MANAGED_BY]: "meshdeploy", [OWNER]: OWNER_NAME },
  { [MANAGED_BY]: "meshdeploy", [OWNER]: "other-team" },
  { [MANAGED_BY]: "meshdeploy", [OWNER]: "Shop" },
  { [MANAGED_BY]: "meshdeploy", [OWNER]: "shop " },
  { [MANAGED_BY]: "meshdeploy" },
  { [MANAGED_BY]: "Meshdeploy", [OWNER]: OWNER_NAME },
  { [MANAGED_BY]: "argocd", [OWNER]: OWNER_NAME },
  { [OWNER]: OWNER_NAME },
  { "meshagent.service.id": "hand-made" },
  {},
  null,
];

function liveService(name: string, annotations: Record<string, string> | null, id: string): LiveService {
  const body = { version: "v1", kind: "Service", metadata: { name, ...(annotations === null ? {} : { annotations }) }, container: { image: `registry.meshagent.com/acme/${name}:1` } };
  return { id, ...dumpServiceSpec(body as unknown as ServiceSpec, { excludeNone: true, excludeId: true }) } as LiveService;
}

interface World {
  live: Record<string, LiveRoom>;
  desiredNames: Set<string>;
}

function randomWorld(random: () => number): World {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const live: Record<string, LiveRoom> = {};
  const desiredNames = new Set<string>();
  let id = 0;
  for (const room of ROOMS) {
    const count = Math.floor(random() * 12);
    const services = Array.from({ length: count }, (_, i) => liveService(`acme-s${i}`, pick(OWNERSHIPS), `id-${room}-${id++}`));
    live[room] = { services, routes: [] };
    for (let i = 0; i < 12; i += 1) if (random() < 0.35) desiredNames.add(`${room}/acme-s${i}`);
  }
  return { live, desiredNames };
}

describe("prune safety (property)", () => {
  it("over 500 random worlds, deletes exactly what this owner manages and no longer declares", () => {
    const random = prng(20260601);
    let deletes = 0;
    let spared = 0;
    for (let world = 0; world < 500; world += 1) {
      const { live, desiredNames } = randomWorld(random);
      const desired = [...desiredNames].map((key, index) => {
        const [room, name] = key.split("/") as [string, string];
        return service({ index, room, name, tag: `acme/${name.slice(5)}:1`, image: `acme/${name}:1` });
      });
      deepFreeze(live);
      const plan = computePlan(desired, live, { owner: OWNER_NAME, prune: true });
      const deleted = new Set(plan.services.filter((s) => s.type === "delete").map((s) => `${s.room}/${s.id}`));
      for (const room of ROOMS) {
        for (const l of live[room]!.services) {
          const owned = isOwnedBy(l.metadata.annotations, OWNER_NAME);
          const declared = desiredNames.has(`${room}/${l.metadata.name}`);
          const isDeleted = deleted.has(`${room}/${l.id}`);
          assert.equal(isDeleted, owned && !declared, `world ${world}: ${room}/${l.metadata.name} ${JSON.stringify(l.metadata.annotations)} deleted=${isDeleted}`);
          if (isDeleted) deletes += 1;
          else if (!declared) spared += 1;
        }
      }
      // A service of the same name under another meshdeploy owner is never taken over by an update.
      for (const s of plan.services.filter((p) => p.type === "update")) {
        const l = live[s.room]!.services.find((x) => x.id === s.id)!;
        const annotations = l.metadata.annotations ?? {};
        assert.ok(!(annotations[MANAGED_BY] === "meshdeploy" && annotations[OWNER] !== undefined && annotations[OWNER] !== OWNER_NAME), `world ${world}: updated ${s.name} of owner ${annotations[OWNER]}`);
      }
    }
    assert.ok(deletes > 100 && spared > 300, `the worlds exercised both sides: ${deletes} deletes, ${spared} spared`);
  });
});

forEachPlatform("prune safety through the local room", (platform) => {
  let dataDir: string;
  let projectDir: string;
  let room: LocalRoom;
  let http: HttpClient;
  before(async () => {
    dataDir = await tempDir();
    projectDir = await tempDir();
    room = await startLocalRoom({ dataDir, token: TOKEN, rooms: ROOMS, startDelayMs: 10, platform });
    http = new HttpClient({ baseUrl: room.url, token: TOKEN });
  });
  after(async () => {
    await http.close();
    await room.close();
  });
  // Registered after the hook above: the dirs are removed once the client and the room have closed.
  const tempDir = suiteTempDirs("prune");

  const nameOf = (s: { [key: string]: unknown }): string => (s["metadata"] as { name: string }).name;
  const annotationsOf = (s: { [key: string]: unknown }): Record<string, string> | undefined => (s["metadata"] as { annotations?: Record<string, string> }).annotations;
  /** Another meshdeploy owner's service may not be declared: that is a plan problem, not a prune case. */
  const othersMeshdeploy = (a: Record<string, string> | null): boolean => a?.[MANAGED_BY] === "meshdeploy" && a[OWNER] !== undefined && a[OWNER] !== OWNER_NAME;

  it("apply --prune over random rooms leaves every service it does not own untouched", async () => {
    const random = prng(7);
    for (let world = 0; world < 5; world += 1) {
      // Fresh rooms: delete what the previous world left, then seed services of every ownership.
      for (const name of ROOMS) for (const s of room.services(name)) await http.send("DELETE", `/accounts/projects/local/rooms/${name}/services/${s.id}`);
      const declared = new Set<string>(); // service names the config declares
      const yaml = ["version: 1", "room: dev", `owner: ${OWNER_NAME}`, "prune: true", "services:"];
      for (const roomName of ROOMS) {
        for (let i = 0; i < 10; i += 1) {
          const annotations = OWNERSHIPS[Math.floor(random() * OWNERSHIPS.length)]!;
          const image = `acme/w${world}-${roomName}-${i}`;
          const metadata = { name: `acme-w${world}-${roomName}-${i}`, ...(annotations === null ? {} : { annotations }) };
          await http.send("POST", `/accounts/projects/local/rooms/${roomName}/services`, { version: "v1", kind: "Service", metadata, container: { image: `registry.meshagent.com/${image}:1` } });
          if (random() < 0.3 && !othersMeshdeploy(annotations)) {
            declared.add(metadata.name);
            yaml.push(`  - tag: ${image}:1`, `    room: ${roomName}`);
          }
        }
      }
      if (declared.size === 0) yaml[yaml.length - 1] = "services: []";
      const before = new Map(ROOMS.flatMap((name) => room.services(name).map((s) => [s.id, JSON.stringify(s)] as const)));
      const notOurs = ROOMS.flatMap((name) => room.services(name).filter((s) => !isOwnedBy(annotationsOf(s), OWNER_NAME)));

      const file = path.join(projectDir, `world-${world}.yaml`);
      await writeFile(file, yaml.join("\n") + "\n");
      const target = new MeshagentTarget({ apiUrl: room.url, token: TOKEN, projectId: "local" });
      try {
        const run = await planDesired(target, await loadConfig(file));
        await applyRun(target, run, { concurrency: 4, pollIntervalMs: 20 });
      } finally {
        await target.close();
      }

      const after = new Map(ROOMS.flatMap((name) => room.services(name).map((s) => [s.id, s] as const)));
      for (const s of notOurs) {
        assert.ok(after.has(s.id), `world ${world}: ${nameOf(s)} (not ours) was deleted`);
        // Declared ones are adopted (updated) by design; the others must be exactly as they were.
        if (!declared.has(nameOf(s))) assert.equal(JSON.stringify(after.get(s.id)), before.get(s.id), `world ${world}: ${nameOf(s)} (not ours, not declared) was changed`);
      }
      for (const s of after.values()) {
        if (isOwnedBy(annotationsOf(s), OWNER_NAME)) assert.ok(declared.has(nameOf(s)), `world ${world}: owned ${nameOf(s)} survived prune although not declared`);
      }
      assert.ok(notOurs.length > 0);
    }
  });
}, { timeout: 60_000 });
