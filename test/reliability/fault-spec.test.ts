// The fault spec (flag and env var) and the injector's decisions: exact parsing and errors, a
// canonical text that parses back, and draws that depend on the seed alone.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FAULTS_ENV, formatFaultSpec, parseFaultSpec, withSeed, type SeededFaultSpec } from "../../src/local/faults/fault-spec.js";
import { FaultInjector, faultsInjected, type FaultKind } from "../../src/local/faults/injector.js";
import { resolveFaults } from "../../src/local/faults/resolve.js";

const seeded = (text: string): SeededFaultSpec => withSeed(parseFaultSpec(text)!, () => 7);

describe("fault spec", () => {
  it("parses the documented example exactly", () => {
    assert.deepEqual(parseFaultSpec("5xx=0.1,429=0.05,latency=20-80ms,drop=0.05,seed=42"), {
      serverError: 0.1,
      rateLimit: 0.05,
      drop: 0.05,
      latencyMs: { min: 20, max: 80 },
      after: 0.5,
      retryAfterSeconds: 1,
      scope: "all",
      seed: 42,
    });
  });

  it("accepts percentages, seconds, a fixed latency, spaces and every optional key", () => {
    const spec = parseFaultSpec(" 5xx=10% , 429=5%, drop=0, latency=1s, after=1, retry-after=0, scope=rest ")!;
    assert.equal(spec.serverError, 0.1);
    assert.equal(spec.rateLimit, 0.05);
    assert.deepEqual(spec.latencyMs, { min: 1000, max: 1000 });
    assert.equal(spec.after, 1);
    assert.equal(spec.retryAfterSeconds, 0);
    assert.equal(spec.scope, "rest");
    assert.equal(spec.seed, null);
    assert.deepEqual(parseFaultSpec("latency=500ms-1s")!.latencyMs, { min: 500, max: 1000 });
  });

  it("none, off and an empty text mean no faults", () => {
    for (const text of ["", "  ", "none", "off"]) assert.equal(parseFaultSpec(text), null);
  });

  it("refuses malformed specs with Expected/got messages, a hint and the source's name", () => {
    const cases: [string, RegExp][] = [
      ["5xx", /Expected KEY=VALUE, got "5xx"/],
      ["5xxx=0.1", /Expected one of 5xx, 429, drop, latency, after, retry-after, scope, seed as a key, got "5xxx"/],
      ["5xx=1.5", /Expected a rate between 0 and 1 \(or 0%–100%\) for 5xx, got "1.5"/],
      ["drop=-0.1", /for drop, got "-0.1"/],
      ["429=abc", /for 429, got "abc"/],
      ["5xx=0.6,drop=0.6", /Expected 5xx \+ 429 \+ drop to be at most 1, got 1.2/],
      ["latency=80-20ms", /minimum to be at most the maximum/],
      ["latency=fast", /Expected latency as MS/],
      ["latency=2m", /Expected latency as MS/],
      ["latency=61s", /at most 60 s/],
      ["seed=-1", /Expected an integer 0–4294967295 for seed/],
      ["seed=4294967296", /for seed, got "4294967296"/],
      ["retry-after=1.5", /for retry-after/],
      ["scope=http", /Expected all, rest or rpc for scope, got "http"/],
      ["5xx=0.1,5xx=0.2", /"5xx" is given twice/],
    ];
    for (const [text, message] of cases) {
      assert.throws(() => parseFaultSpec(text, FAULTS_ENV), (error: unknown) => {
        const e = error as { code: string; message: string; hint: string };
        assert.equal(e.code, "E_USAGE", text);
        assert.match(e.message, new RegExp(`^${FAULTS_ENV}: `), text);
        assert.match(e.message, message, text);
        assert.match(e.hint, /5xx=0\.1,429=0\.05,latency=20-80ms,drop=0\.05,seed=42/);
        return true;
      });
    }
  });

  it("formats canonically, and the text parses back to the same spec", () => {
    const spec = parseFaultSpec("drop=5%,5xx=0.1,latency=20-80ms,seed=42")!;
    const text = formatFaultSpec(spec);
    assert.equal(text, "5xx=0.1,429=0,drop=0.05,latency=20-80ms,after=0.5,retry-after=1,scope=all,seed=42");
    assert.deepEqual(parseFaultSpec(text), spec);
  });

  it("resolveFaults: the flag wins over the env var; a missing seed is picked and kept", () => {
    assert.equal(resolveFaults(undefined, {}), null);
    assert.equal(resolveFaults("off", { [FAULTS_ENV]: "5xx=1" }), null);
    assert.equal(resolveFaults(undefined, { [FAULTS_ENV]: "5xx=1,seed=3" })!.seed, 3);
    const picked = resolveFaults("5xx=0.5", {})!;
    assert.ok(Number.isInteger(picked.seed) && picked.seed >= 0);
    assert.throws(() => resolveFaults(undefined, { [FAULTS_ENV]: "bogus" }), { message: `${FAULTS_ENV}: Expected KEY=VALUE, got "bogus"` });
  });
});

describe("fault injector", () => {
  const run = (spec: SeededFaultSpec, channel: "rest" | "rpc", n: number): string[] => {
    const injector = new FaultInjector(spec);
    return Array.from({ length: n }, () => {
      const d = injector.decide(channel);
      return `${d.kind ?? "-"}/${d.latencyMs}/${d.status}`;
    });
  };

  it("is deterministic: the same seed gives the same decisions, another seed others", () => {
    const spec = seeded("5xx=0.1,429=0.05,drop=0.05,latency=20-80ms");
    assert.deepEqual(run(spec, "rest", 500), run(spec, "rest", 500));
    assert.notDeepEqual(run(spec, "rest", 500), run({ ...spec, seed: 8 }, "rest", 500));
    // REST and RPC have their own streams: RPC traffic never shifts the REST sequence.
    assert.notDeepEqual(run(spec, "rest", 500), run(spec, "rpc", 500));
    const mixed = new FaultInjector(spec);
    const interleaved = Array.from({ length: 500 }, () => {
      mixed.decide("rpc");
      const d = mixed.decide("rest");
      return `${d.kind ?? "-"}/${d.latencyMs}/${d.status}`;
    });
    assert.deepEqual(interleaved, run(spec, "rest", 500));
  });

  it("injects each kind at about its rate, latency within bounds, 5xx as 500/502/503, and counts them", () => {
    const injector = new FaultInjector(seeded("5xx=0.1,429=0.05,drop=0.05,latency=20-80ms,after=0.5"));
    const kinds = new Map<string, number>();
    const latencies = new Set<number>();
    const statuses = new Set<number>();
    const n = 20_000;
    for (let i = 0; i < n; i += 1) {
      const d = injector.decide("rest");
      kinds.set(d.kind ?? "none", (kinds.get(d.kind ?? "none") ?? 0) + 1);
      latencies.add(d.latencyMs);
      if (d.status !== 0) statuses.add(d.status);
      assert.ok(d.latencyMs >= 20 && d.latencyMs <= 80);
    }
    const share = (kind: FaultKind): number => (kinds.get(kind) ?? 0) / n;
    assert.ok(Math.abs(share("5xx-before") + share("5xx-after") - 0.1) < 0.01);
    assert.ok(Math.abs(share("5xx-after") - 0.05) < 0.01);
    assert.ok(Math.abs(share("429") - 0.05) < 0.01);
    assert.ok(Math.abs(share("drop-before") + share("drop-after") - 0.05) < 0.01);
    assert.ok(latencies.has(20) && latencies.has(80));
    assert.deepEqual([...statuses].sort(), [500, 502, 503]);
    const stats = injector.stats();
    assert.equal(stats.rest.none + faultsInjected(stats.rest), n);
    assert.equal(faultsInjected(stats.rest), n - (kinds.get("none") ?? 0));
    assert.equal(faultsInjected(stats.rpc), 0);
  });

  it("keeps to its scope and to after=0 / after=1", () => {
    const restOnly = new FaultInjector(seeded("5xx=1,scope=rest"));
    assert.equal(restOnly.decide("rpc").kind, null);
    assert.match(restOnly.decide("rest").kind ?? "", /^5xx-/);
    const before = new FaultInjector(seeded("5xx=0.5,drop=0.5,after=0"));
    const after = new FaultInjector(seeded("5xx=0.5,drop=0.5,after=1"));
    for (let i = 0; i < 200; i += 1) {
      assert.match(before.decide("rest").kind ?? "", /-before$/);
      assert.match(after.decide("rest").kind ?? "", /-after$/);
    }
  });
});
