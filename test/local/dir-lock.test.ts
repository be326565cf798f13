// The data directory lock cannot go stale (audit M4): a killed holder's lock is taken over at
// once, and a pid that is alive again (pid 1 in a container, or any reused pid) is not mistaken
// for the holder. Holders run in real child processes; pid reuse is simulated with a live,
// unrelated process and with records whose start time does not match.
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { acquireDirLock, LOCK_FILE } from "../../src/local/dir-lock.js";
import { formatIdentity, liveness, parseIdentity, selfIdentity, type ProcessIdentity, type ProcProbe } from "../../src/local/process-identity.js";
import { suiteTempDirs } from "../helpers/temp-dirs.js";
import { waitFor } from "../helpers/wait.js";

const LOCK_MODULE = path.resolve(import.meta.dirname, "../../src/local/dir-lock.ts");

/** A child process that takes the lock on `dir` and prints "held". */
async function holderIn(dir: string): Promise<ChildProcess> {
  const script = `import { acquireDirLock } from ${JSON.stringify(LOCK_MODULE)}; await acquireDirLock(${JSON.stringify(dir)}, { waitMs: 0 }); console.log("held"); setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout!.on("data", (chunk: Buffer) => (out += chunk.toString()));
  await waitFor("the child to take the lock", () => out.includes("held"), 20_000);
  return child;
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once("exit", () => resolve()));
}

describe("data directory lock: never stale", () => {
  const tempDir = suiteTempDirs("dirlock");

  it("a live holder in another process is refused with its pid; once SIGKILLed its lock is taken at once", { timeout: 60_000 }, async () => {
    const dir = await tempDir();
    const child = await holderIn(dir);
    try {
      assert.ok(lstatSync(path.join(dir, LOCK_FILE)).isSocket(), "the lock is a socket the kernel closes when its holder dies");
      await assert.rejects(acquireDirLock(dir, { waitMs: 0 }), { code: "E_LOCAL_ROOM", message: `the local room data directory ${dir} is in use by process ${child.pid}` });
    } finally {
      child.kill("SIGKILL");
      await exited(child);
    }
    assert.ok(existsSync(path.join(dir, LOCK_FILE)), "SIGKILL leaves the socket file behind");
    const started = Date.now();
    const lock = await acquireDirLock(dir, { waitMs: 0 });
    assert.ok(Date.now() - started < 2_000);
    lock.release();
    assert.equal(existsSync(path.join(dir, LOCK_FILE)), false, "release removes it");
  });

  it("an old-format lock naming a live but unrelated pid (a reused pid) is taken over at once", { timeout: 30_000 }, async () => {
    const dir = await tempDir();
    const unrelated = spawn("sleep", ["30"], { stdio: "ignore" });
    try {
      await waitFor("sleep to start", () => unrelated.pid !== undefined);
      writeFileSync(path.join(dir, LOCK_FILE), `${unrelated.pid}\n`);
      const waited: number[] = [];
      const lock = await acquireDirLock(dir, { waitMs: 0, onWait: (pid) => waited.push(pid) });
      assert.deepEqual(waited, []);
      lock.release();
      // The audit's container case: the lock names pid 1 / this very pid, which is us now, not a holder.
      writeFileSync(path.join(dir, LOCK_FILE), `${process.pid}\n`);
      (await acquireDirLock(dir, { waitMs: 0 })).release();
    } finally {
      unrelated.kill("SIGKILL");
      await exited(unrelated);
    }
  });

  it("where no socket fits (a long path), the file records pid + start time + boot + host + nonce", { timeout: 30_000 }, async () => {
    const dir = path.join(await tempDir(), "x".repeat(120));
    mkdirSync(dir);
    const file = path.join(dir, LOCK_FILE);
    const lock = await acquireDirLock(dir, { waitMs: 0 });
    const record = parseIdentity(readFileSync(file, "utf8"))!;
    assert.equal(lstatSync(file).isFile(), true);
    assert.deepEqual({ ...record, nonce: record.nonce.length }, { ...selfIdentity(), nonce: 16 });
    await assert.rejects(acquireDirLock(dir, { waitMs: 0 }), /is in use by process \d+ \(this process\)/);
    lock.release();
    assert.equal(existsSync(file), false);
    // This process's pid, recorded by another process (another nonce) that started at another tick: reused.
    writeFileSync(file, formatIdentity({ ...selfIdentity(), nonce: "another-run", start: (selfIdentity().start ?? 0) + 12_345 }));
    (await acquireDirLock(dir, { waitMs: 0 })).release();
    // The same, alive and matching: a live holder that is not us.
    writeFileSync(file, formatIdentity({ ...selfIdentity(), pid: process.ppid, nonce: "parent", start: startOf(process.ppid) }));
    await assert.rejects(acquireDirLock(dir, { waitMs: 0 }), { message: `the local room data directory ${dir} is in use by process ${process.ppid}` });
  });
});

/** Field 22 of /proc/PID/stat. */
function startOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]);
}

describe("liveness of a recorded holder", () => {
  const record: ProcessIdentity = { pid: 4242, start: 1000, boot: "boot-a", host: hostname(), nonce: "n1", socket: null };
  const probe = (over: Partial<ProcProbe> = {}): ProcProbe => ({
    exists: () => true,
    startTicks: () => 1000,
    startedAtMs: () => 0,
    command: () => "node",
    bootId: () => "boot-a",
    ...over,
  });

  it("alive only when the pid exists and started at the recorded tick of the same boot", () => {
    assert.equal(liveness(record, probe()), "alive");
    assert.equal(liveness(record, probe({ startTicks: () => 2000 })), "dead", "the pid was reused");
    assert.equal(liveness(record, probe({ exists: () => false })), "dead");
    assert.equal(liveness(record, probe({ bootId: () => "boot-b" })), "dead", "this host rebooted since");
  });

  it("a holder on another host cannot be checked, so it counts as alive", () => {
    const remote = { ...record, host: "elsewhere" };
    assert.equal(liveness(remote, probe({ bootId: () => "boot-b", exists: () => false })), "alive");
  });

  it("an old bare-pid record: alive only while a Node process that started before it has the pid", () => {
    const legacy = parseIdentity("4242\n")!;
    assert.equal(liveness(legacy, probe({ startedAtMs: () => 5_000 }), 10_000), "alive");
    assert.equal(liveness(legacy, probe({ startedAtMs: () => 50_000 }), 10_000), "dead", "started after the lock was written");
    assert.equal(liveness(legacy, probe({ command: () => "sleep" }), 10_000), "dead", "not a Node process");
    assert.equal(liveness(legacy, probe({ exists: () => false }), 10_000), "dead");
  });
});
