// Crash consistency: `apply` killed with SIGKILL part way — early in the writes, in the middle,
// and while waiting for services to run — then re-run. Each kill leaves a state file that parses
// (atomic replace), a stale DIR/lock that the next run takes over, and a room the next run
// converges without duplicating a service. Both shapes: `apply --local` (the room dies with
// the run) and a separate `local serve` (the client dies; then the server itself is killed).
import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { before, describe, it } from "node:test";
import { LOCK_FILE } from "../../src/local/dir-lock.js";
import { LocalStore } from "../../src/local/store.js";
import { finished, runBinary, spawnBinary, waitForOutput } from "../helpers/binary.js";
import { suiteTempDirs, testTempDir } from "../helpers/temp-dirs.js";
import { servicesYaml } from "./helpers.js";

const N = 60;
const WAITING = /waiting until it runs/;

/** The local room's persisted state (state.json + journal): loads, and holds each service name at most once per room. */
async function readState(dataDir: string): Promise<Map<string, string[]>> {
  const state = await LocalStore.read(dataDir); // throws on a corrupt snapshot or journal
  const rooms = new Map<string, string[]>();
  for (const { room, services } of state.rooms) {
    const names = services.map((s) => (s["metadata"] as { name: string }).name);
    assert.equal(new Set(names).size, names.length, `duplicate service names in room ${room.name}`);
    rooms.set(room.name, names);
  }
  return rooms;
}

/** Starts `args`, waits for `count` matches of `pattern`, then SIGKILLs it. */
async function killAfter(args: string[], cwd: string, pattern: RegExp, count: number, env: Record<string, string> = {}): Promise<string> {
  const child = spawnBinary(args, cwd, env);
  const exit = finished(child);
  const seen = await waitForOutput(child, pattern, count);
  child.kill("SIGKILL");
  const result = await exit;
  assert.equal(result.signal, "SIGKILL", `the run ended before it was killed:\n${seen}`);
  return seen;
}

describe("crash consistency: apply killed with SIGKILL", { timeout: 180_000 }, () => {
  const tempDir = suiteTempDirs("crash");
  let dir: string;
  before(async () => {
    dir = await tempDir();
    await writeFile(path.join(dir, ".meshdeploy.yaml"), servicesYaml(N, { owner: "crash" }));
  });

  it("apply --local: killed early, mid-way and while waiting; each re-run converges with no duplicates", async () => {
    const dataDir = path.join(dir, ".meshdeploy", "local");
    const points: [string, RegExp, number][] = [
      ["after the first write", WAITING, 1],
      ["in the middle of the writes", WAITING, 20],
      ["while waiting for services to run", /… \S+ running/, 1],
    ];
    const counts: number[] = [];
    for (const [label, pattern, count] of points) {
      await killAfter(["apply", "--local", "--concurrency", "2"], dir, pattern, count);
      const services = (await readState(dataDir)).get("dev") ?? [];
      counts.push(services.length);
      assert.ok(services.length < N || label.startsWith("while"), `${label}: ${services.length} services`);
      assert.ok(existsSync(path.join(dataDir, LOCK_FILE)), `${label}: the killed run's lock is left behind`);
    }
    assert.ok(counts[0]! < counts[1]!, `each run got further: ${counts.join(" → ")}`);
    const last = runBinary(["apply", "--local"], dir);
    assert.equal(last.code, 0, last.stdout + last.stderr);
    assert.equal((await readState(dataDir)).get("dev")!.length, N);
    const plan = runBinary(["plan", "--local", "--detailed-exitcode"], dir);
    assert.equal(plan.code, 0, plan.stdout + plan.stderr);
    assert.match(plan.stdout, new RegExp(`No changes\\. ${N} services up to date\\.`));
    assert.deepEqual(readdirSync(dataDir).filter((name) => name.endsWith(".tmp")), [], "no temp file survives a clean start");
    assert.equal(existsSync(path.join(dataDir, LOCK_FILE)), false, "a clean run releases its lock");
  });

  it("local serve: the client killed, then the server killed mid-apply; restarted, it converges", async (t) => {
    const work = testTempDir(t, "crash-serve");
    const dataDir = path.join(work, "data");
    await writeFile(path.join(work, ".meshdeploy.yaml"), servicesYaml(N, { owner: "crashserve" }));
    const serve = async (): Promise<{ env: Record<string, string>; kill: (signal: NodeJS.Signals) => Promise<void> }> => {
      const child = spawnBinary(["local", "serve", "--port", "0", "--data", dataDir, "--room", "dev", "--token", "crash-test-token-0123456789"], work);
      const exit = finished(child);
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(await waitForOutput(child, /listening on http:\/\/127\.0\.0\.1:\d+/))![1]!;
      return {
        env: { MESHAGENT_API_URL: url, MESHAGENT_API_KEY: "crash-test-token-0123456789", MESHAGENT_PROJECT_ID: "local" },
        kill: async (signal) => {
          child.kill(signal);
          await exit;
        },
      };
    };
    let server = await serve();
    await killAfter(["apply", "--yes", "--concurrency", "2"], work, WAITING, 10, server.env);
    const afterClientKill = (await readState(dataDir)).get("dev")!.length;
    assert.ok(afterClientKill >= 10 && afterClientKill < N, `${afterClientKill} services after the client was killed`);

    // Now the server dies mid-apply (the client is stopped too: its reconnect budget would only add time).
    const client = spawnBinary(["apply", "--yes", "--concurrency", "2"], work, server.env);
    const clientExit = finished(client);
    await waitForOutput(client, WAITING, 10);
    await server.kill("SIGKILL");
    client.kill("SIGKILL");
    await clientExit;
    const afterServerKill = (await readState(dataDir)).get("dev")!.length;
    assert.ok(afterServerKill > afterClientKill, `${afterClientKill} → ${afterServerKill}`);

    server = await serve(); // takes over the stale lock and server marker of the killed one
    const done = runBinary(["apply", "--yes"], work, server.env);
    assert.equal(done.code, 0, done.stdout + done.stderr);
    const plan = runBinary(["plan", "--detailed-exitcode"], work, server.env);
    assert.equal(plan.code, 0, plan.stdout + plan.stderr);
    await server.kill("SIGINT");
    assert.equal((await readState(dataDir)).get("dev")!.length, N);
  });
});
