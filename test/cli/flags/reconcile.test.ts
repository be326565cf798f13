import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { UsageError } from "../../../src/errors.js";
import { applyFlags, destroyFlags, planFlags, watchFlags } from "../../../src/cli/flags/reconcile.js";
import { DEFAULT_MAX_DELETES } from "../../../src/plan/delete-limit.js";

describe("cli/flags/reconcile", () => {
  it("answers --help before anything else is checked", () => {
    assert.equal(planFlags(["--help", "--max-deletes", "x"]), "help");
    assert.equal(applyFlags(["-h"]), "help");
  });

  it("gives plan its defaults", () => {
    const args = planFlags([]);
    assert.notEqual(args, "help");
    assert.deepEqual(args, {
      file: undefined, local: false, apiUrl: undefined, platform: undefined, environment: undefined, detailedExitcode: false, output: "human", prune: false, adoptFrom: [],
      verbose: false, maxDeletes: DEFAULT_MAX_DELETES, faults: undefined, out: undefined, requireClean: false, health: false, secretCheck: true, rebuildOnAdopt: true, timeoutSeconds: undefined,
      targets: undefined,
    });
  });

  it("reads apply's run flags and its saved plan operand", () => {
    const args = applyFlags(["plan.json", "--concurrency", "64", "--no-wait", "--wait-timeout", "9", "-f", "x.yaml", "--local"]);
    assert.ok(args !== "help");
    assert.equal(args.planFile, "plan.json");
    assert.equal(args.concurrency, 64);
    assert.equal(args.wait, false);
    assert.equal(args.waitTimeoutSeconds, 9);
    assert.equal(args.file, "x.yaml");
    assert.equal(args.local, true);
  });

  it("watch accepts --verbose and --require-clean, as plan and apply do (new-user audit, item 18)", () => {
    const args = watchFlags(["--verbose", "--require-clean"]);
    assert.ok(args !== "help");
    assert.equal(args.verbose, true);
    assert.equal(args.requireClean, true);
    const plain = watchFlags([]);
    assert.ok(plain !== "help");
    assert.equal(plain.verbose, false);
    assert.equal(plain.requireClean, false);
  });

  it("destroy prunes and never waits", () => {
    const args = destroyFlags(["-y"]);
    assert.ok(args !== "help");
    assert.equal(args.prune, true);
    assert.equal(args.wait, false);
    assert.equal(args.yes, true);
  });

  it("reads repeatable --service, --room and --exclude on plan, apply and watch", () => {
    const argv = ["--service", "api", "--service", "web", "--room", "staging", "--exclude", "worker"];
    const targets = { services: ["api", "web"], rooms: ["staging"], exclude: ["worker"] };
    for (const parse of [planFlags, applyFlags, watchFlags]) {
      const args = parse(argv);
      assert.ok(args !== "help");
      assert.deepEqual(args.targets, targets);
    }
    const saved = applyFlags(["plan.json", "--room", "dev"]);
    assert.ok(saved !== "help");
    assert.deepEqual([saved.planFile, saved.targets], ["plan.json", { services: [], rooms: ["dev"], exclude: [] }]);
  });

  it("refuses --prune with targeting, naming both", () => {
    for (const [name, parse] of [["plan", planFlags], ["apply", applyFlags], ["watch", watchFlags]] as const) {
      assert.throws(
        () => parse(["--prune", "--service", "api"]),
        (e: unknown) => e instanceof UsageError && e.message === `${name}: --prune cannot be combined with --service api: a targeted run acts on the services it names and never deletes`,
      );
    }
    // --no-prune is not a request to prune.
    assert.doesNotThrow(() => planFlags(["--no-prune", "--exclude", "x"]));
  });

  it("refuses an empty target name", () => {
    assert.throws(() => planFlags(["--service", ""]), (e: unknown) => e instanceof UsageError && e.message === 'plan: --service expects a name, got ""');
  });

  it("destroy refuses targeting with what to do instead", () => {
    assert.throws(
      () => destroyFlags(["--service", "api", "--yes"]),
      (e: unknown) => e instanceof UsageError && /^destroy: --service, --room and --exclude are not supported/.test(e.message) && /apply --prune/.test(e.hint ?? ""),
    );
  });

  it("refuses a bad number and names the command and flag", () => {
    assert.throws(() => watchFlags(["--concurrency", "0"]), (e: unknown) => e instanceof UsageError && /^watch: --concurrency expects a positive integer/.test(e.message));
    assert.throws(() => applyFlags(["a.json", "b.json"]), (e: unknown) => e instanceof UsageError && /unexpected argument "b.json"/.test(e.message));
  });
});
