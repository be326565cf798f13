// bench/local-room: what one change costs the local room's store at 10, 1,000 and 10,000
// services — a PUT of one service (putService, awaited: durable, one journal append + fdatasync)
// — against what the old store did per change in the same run: serialise the whole state and
// replace state.json crash-safely (write, fsync, rename, fsync dir). Also the store's list answer
// (GET …/services body, built from the stored per-service JSON) against JSON.stringify of the
// list. Seeded by writing a state file, not by N creates. Not a test: numbers only.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { writeFileAtomic } from "../src/local/atomic-write.js";
import { serializeState, type ServiceRecord, type StateData } from "../src/local/state.js";
import { LocalStore } from "../src/local/store.js";
import type { Figure } from "./figures.js";

const SIZES = [10, 1_000, 10_000];
const CHANGES = 20;

function service(i: number, revision = 0): ServiceRecord {
  return {
    id: `svc-${i}`,
    version: "v1",
    kind: "Service",
    metadata: { name: `svc-${i}`, annotations: { "meshdeploy.io/owner": "bench", "meshdeploy.io/spec-hash": `${i}-${revision}`.padEnd(64, "0") } },
    container: { image: `bench/svc-${i}:1`, environment: [{ name: "APP_ENV", value: "bench" }, { name: "INDEX", value: String(i) }], storage: { room: [{ path: "/data", subpath: "srv/data", read_only: false }], empty_dirs: [{ path: "/tmp/cache" }] } },
    ports: [{ num: 8000, type: "http", liveness: "/health", endpoints: [] }],
  } as unknown as ServiceRecord;
}

export async function main(): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const n of SIZES) {
    const dir = await mkdtemp(path.join(os.tmpdir(), "meshdeploy-bench-room-"));
    try {
      const data: StateData = { createdAt: new Date(0).toISOString(), platform: "0.39.9", rooms: [{ room: { id: "r", name: "dev", metadata: {}, annotations: {} }, services: Array.from({ length: n }, (_, i) => service(i)) }], routes: [], secrets: [], images: [] };
      await writeFile(path.join(dir, "state.json"), serializeState(data));
      const store = await LocalStore.open(dir, { platform: "0.39.9" });
      await store.putService("dev", service(0, 1)); // the first write starts the journal
      const change: number[] = [];
      const rewrite: number[] = [];
      const oldFile = path.join(dir, "old-state.json");
      for (let k = 0; k < CHANGES; k += 1) {
        let started = performance.now();
        await store.putService("dev", service(k % n, k + 2));
        change.push(performance.now() - started);
        started = performance.now();
        await writeFileAtomic(oldFile, serializeState({ ...data, rooms: [{ room: data.rooms[0]!.room, services: store.listServices("dev")! }] }));
        rewrite.push(performance.now() - started);
      }
      const listed: number[] = [];
      const stringified: number[] = [];
      for (let k = 0; k < 5; k += 1) {
        let started = performance.now();
        store.listServicesJson("dev");
        listed.push(performance.now() - started);
        started = performance.now();
        JSON.stringify({ services: store.listServices("dev") });
        stringified.push(performance.now() - started);
      }
      await store.close();
      console.log(`${n} services: change ${median(change)} ms, whole-state rewrite ${median(rewrite)} ms; list ${median(listed)} ms vs stringify ${median(stringified)} ms`);
      figures.push({ group: "Local room", name: `${n.toLocaleString("en-US")} services: one durable change (PUT)`, unit: "ms", runs: change, baseline: { name: "a whole-state rewrite (the old store)", runs: rewrite }, comparison: "faster", note: "target: O(change), fsync-bound at any size" });
      figures.push({ group: "Local room", name: `${n.toLocaleString("en-US")} services: list answer body`, unit: "ms", runs: listed, baseline: { name: "JSON.stringify of the list", runs: stringified }, comparison: "faster" });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  return figures;
}

function median(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!.toFixed(2);
}
