// bench/local-room: what one change costs the local room's store at 10, 1,000 and 10,000
// services — a PUT of one service (putService, awaited: durable, one journal append + fdatasync)
// — against what the old store did per change in the same run: serialise the whole state and
// replace state.json crash-safely (write, fsync, rename, fsync dir). Also the store's list answer
// (GET …/services body, built from the stored per-service JSON) against JSON.stringify of the
// list. Seeded by writing a state file, not by N creates.
// Then HTTP requests/s against the room served as `local serve` serves it (startLocalRoom on the
// same data dir, in this process) through an undici pool of HTTP_CONNECTIONS connections, each
// one request at a time, in HTTP_ROUNDS rounds of HTTP_SLICE_MS per operation taking turns (after a
// warm-up): GET the room's service list, and PUT of one
// service (a real change each time: its spec-hash annotation differs, so every PUT is a durable
// write), each against GET of that one service at the same size (the server's per-request floor),
// and printed with the ratio to the same request at 10 services. Not a test: numbers only.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { writeFileAtomic } from "../src/local/atomic-write.js";
import { serializeState, type ServiceRecord, type StateData } from "../src/local/state.js";
import { LocalStore } from "../src/local/store.js";
import { Pool } from "undici";
import { startLocalRoom } from "../src/local/server.js";
import type { Figure } from "./figures.js";

const SIZES = [10, 1_000, 10_000];
const CHANGES = 20;
const HTTP_CONNECTIONS = 4;
const HTTP_WARMUP_MS = 300;
const HTTP_SLICE_MS = 500;
const HTTP_ROUNDS = 3;
const TOKEN = "bench-local-room-token-0123456789";

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
  let rates10: Rates | null = null;
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
      const rates = await httpRates(dir, n);
      rates10 ??= rates;
      const med = (op: "list" | "put" | "get", r: Rates = rates): number => Number(median(r[op]));
      const vs10 = (op: "list" | "put" | "get"): string => {
        if (n === 10) return "";
        const ratio = med(op) / med(op, rates10!);
        return ratio >= 0.995 ? `, ${ratio.toFixed(2)}× the rate at 10` : `, ${(1 / ratio).toFixed(ratio < 0.1 ? 0 : 2)}× lower than at 10`;
      };
      console.log(`${n} services: change ${median(change)} ms, whole-state rewrite ${median(rewrite)} ms; list ${median(listed)} ms vs stringify ${median(stringified)} ms`);
      console.log(`  HTTP (${HTTP_CONNECTIONS} connections, median of ${HTTP_ROUNDS} × ${HTTP_SLICE_MS} ms): GET list (${(rates.listBytes / 1e6).toFixed(2)} MB) ${med("list").toFixed(0)} req/s${vs10("list")}; PUT ${med("put").toFixed(0)} req/s${vs10("put")}; GET one service ${med("get").toFixed(0)} req/s${vs10("get")}`);
      figures.push({ group: "Local room", name: `${n.toLocaleString("en-US")} services: one durable change (PUT)`, unit: "ms", runs: change, baseline: { name: "a whole-state rewrite (the old store)", runs: rewrite }, comparison: "faster", note: "target: O(change), fsync-bound at any size" });
      figures.push({ group: "Local room", name: `${n.toLocaleString("en-US")} services: list answer body`, unit: "ms", runs: listed, baseline: { name: "JSON.stringify of the list", runs: stringified }, comparison: "faster" });
      const http = `HTTP, ${HTTP_CONNECTIONS} connections`;
      figures.push({ group: "Local room", name: `${n.toLocaleString("en-US")} services: GET list (${http})`, unit: "req/s", runs: rates.list, baseline: { name: "GET one service", runs: rates.get }, comparison: "times", note: `${(rates.listBytes / 1e6).toFixed(2)} MB per answer${vs10("list")}` });
      figures.push({ group: "Local room", name: `${n.toLocaleString("en-US")} services: PUT one service (${http})`, unit: "req/s", runs: rates.put, baseline: { name: "GET one service", runs: rates.get }, comparison: "times", note: `each a durable change${vs10("put")}` });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  return figures;
}

interface Rates {
  /** Requests/s of each slice (HTTP_ROUNDS). */
  list: number[];
  put: number[];
  get: number[];
  listBytes: number;
}

/** Requests/s of each operation against the room served from `dir` (its state file holds `n` services). */
async function httpRates(dir: string, n: number): Promise<Rates> {
  const room = await startLocalRoom({ dataDir: dir, token: TOKEN, port: 0, platform: "0.39.9" });
  const pool = new Pool(room.url, { connections: HTTP_CONNECTIONS });
  const headers = { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" };
  const base = "/accounts/projects/local/rooms/dev/services";
  let revision = 1_000;
  let listBytes = 0;
  const send = async (method: "GET" | "PUT", path: string, body?: string): Promise<number> => {
    const response = await pool.request({ method, path, headers, ...(body === undefined ? {} : { body }) });
    if (response.statusCode !== 200) throw new Error(`bench/local-room: ${method} ${path} answered ${response.statusCode}: ${(await response.body.text()).slice(0, 200)}`);
    // Counted, not decoded: the client shares this process's one thread with the server.
    let bytes = 0;
    for await (const chunk of response.body) bytes += (chunk as Buffer).length;
    return bytes;
  };
  /** Requests completed per second by HTTP_CONNECTIONS callers, each one request at a time, for `ms`. */
  const rate = async (request: (caller: number) => Promise<unknown>, ms: number): Promise<number> => {
    let done = 0;
    const started = performance.now();
    const until = started + ms;
    await Promise.all(
      Array.from({ length: HTTP_CONNECTIONS }, async (_, caller) => {
        while (performance.now() < until) {
          await request(caller);
          done += 1;
        }
      }),
    );
    return done / ((performance.now() - started) / 1000);
  };
  const target = room.services("dev")[0]!;
  const ops = {
    get: () => send("GET", `${base}/${target.id}`),
    list: async () => (listBytes = await send("GET", base)),
    // Each caller PUTs its own service, so concurrent PUTs are not the same record; every body differs.
    put: (caller: number) => {
      revision += 1;
      return send("PUT", `${base}/svc-${caller % n}`, JSON.stringify(service(caller % n, revision)));
    },
  };
  const rates: Rates = { list: [], put: [], get: [], listBytes: 0 };
  try {
    // Warm-up, not counted: the routes' code is compiled and the connections are open.
    for (const op of [ops.get, ops.list, ops.put]) await rate(op, HTTP_WARMUP_MS);
    // The operations take turns in short slices, so a shared machine's drift hits all of them alike.
    for (let round = 0; round < HTTP_ROUNDS; round++) {
      rates.get.push(await rate(ops.get, HTTP_SLICE_MS));
      rates.list.push(await rate(ops.list, HTTP_SLICE_MS));
      rates.put.push(await rate(ops.put, HTTP_SLICE_MS));
    }
    return { ...rates, listBytes };
  } finally {
    await pool.close();
    await room.close();
  }
}

function median(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!.toFixed(2);
}
