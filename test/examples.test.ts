// Every shipped config is real and valid: the top-level demo and each examples/*/ directory, in
// every environment it declares.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { loadEveryEnvironment } from "../src/config/load.js";
import { platformOf } from "../src/model/platform.js";
import { platformProblems } from "../src/plan/platform-rules.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const files = [
  path.join(root, ".meshdeploy.yaml"),
  ...readdirSync(path.join(root, "examples")).map((dir) => path.join(root, "examples", dir, ".meshdeploy.yaml")),
];

describe("shipped configs", () => {
  it("there is a top-level config and at least three examples", () => assert.ok(files.length >= 4));
  it("examples/environments declares dev, staging and prod in three rooms; prod has a domain and protect", async () => {
    const states = await loadEveryEnvironment(path.join(root, "examples", "environments", ".meshdeploy.yaml"));
    assert.deepEqual(states.map((d) => d.environment), ["dev", "staging", "prod"]);
    assert.deepEqual(states.map((d) => [...new Set(d.services.map((s) => s.room))]), [["shop-dev"], ["shop-staging"], ["shop-prod"]]);
    assert.deepEqual(states.map((d) => d.owner), ["shop.dev", "shop.staging", "shop.prod"]);
    const prod = states[2]!;
    assert.ok(prod.services.some((s) => s.domain !== null && s.protect));
    assert.ok(!prod.services.some((s) => s.tag.includes("mailcatcher")));
  });
  for (const file of files) {
    it(`${path.relative(root, file)} validates`, async () => {
      for (const desired of await loadEveryEnvironment(file)) assert.ok(desired.services.length > 0, desired.environment);
    });
    // A config for one generation says so in its directory's name; every other works on both.
    const dir = path.basename(path.dirname(file));
    const only = dir.endsWith("-0.39") ? "0.39.9" : dir === "platform-0.50" ? "0.50.1" : null;
    it(`${path.relative(root, file)} is for ${only === null ? "both generations" : `MeshAgent ${only} only`}`, async () => {
      const states = await loadEveryEnvironment(file);
      for (const version of ["0.39.9", "0.50.1"]) {
        const problems = states.flatMap((desired) => desired.services.flatMap((s) => platformProblems(s, platformOf(version, "flag"))));
        if (only === null || only === version) assert.deepEqual(problems.map((p) => p.message), [], `on ${version}`);
        else assert.ok(problems.length > 0, `${dir} should be refused on ${version}`);
      }
    });
  }
});

describe("examples/environments CI workflow", () => {
  const workflow = parse(readFileSync(path.join(root, "examples", "environments", ".github", "workflows", "deploy.yml"), "utf8"));
  const inputs = Object.keys(parse(readFileSync(path.join(root, "action.yml"), "utf8")).inputs);
  const step = (job: string) => workflow.jobs[job].steps.find((s: { uses?: string }) => s.uses?.includes("meshdeploy"));

  it("plans every environment on a pull request, applies staging on main and prod on a tag, with the action's inputs", () => {
    assert.match(workflow.jobs.plan.if, /pull_request/);
    assert.deepEqual(workflow.jobs.plan.strategy.matrix.environment, ["dev", "staging", "prod"]);
    assert.equal(step("plan").with.command, "plan");
    assert.match(step("plan").with.args, /^-e \$\{\{ matrix\.environment \}\} /);
    assert.match(workflow.jobs.staging.if, /refs\/heads\/main/);
    assert.match(step("staging").with.args, /^-e staging /);
    assert.match(workflow.jobs.prod.if, /refs\/tags\/v/);
    assert.match(step("prod").with.args, /^-e prod /);
    for (const job of ["plan", "staging", "prod"]) for (const key of Object.keys(step(job).with)) assert.ok(inputs.includes(key), `${job}: unknown input ${key}`);
  });
});
