// Every shipped config is real and valid: the top-level demo and each examples/*/ directory, in
// every environment it declares.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { loadEveryEnvironment } from "../src/config/load.js";
import { platformOf } from "../src/model/platform.js";
import { platformProblems } from "../src/plan/platform-rules.js";
import { suiteTempDirs } from "./helpers/temp-dirs.js";

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

  it("prod deploys the image tag without the git tag's leading v; fork pull requests (no secrets) are not planned", () => {
    const steps: { run?: string; env?: Record<string, string> }[] = workflow.jobs.prod.steps;
    assert.ok(!steps.some((s) => s.env?.["WEB_TAG"]?.includes("github.ref_name")), "v1.4.3 would deploy acme/web:v1.4.3");
    assert.ok(steps.some((s) => s.run?.includes("WEB_TAG=${GITHUB_REF_NAME#v}")));
    assert.match(workflow.jobs.plan.if, /head\.repo\.full_name == github\.repository/);
  });
});

describe("the Environments snippets in README.md and docs/semantics.md", () => {
  const tempDir = suiteTempDirs("snippet");
  for (const [doc, heading] of [["README.md", "### Environments"], ["docs/semantics.md", "## Environments"]] as const) {
    it(`${doc}: loads in every environment, and a service with a domain has a published port`, async () => {
      const text = readFileSync(path.join(root, doc), "utf8");
      const section = text.slice(text.indexOf(`\n${heading}\n`));
      const yaml = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
      assert.ok(yaml !== undefined, `${doc} has a yaml block under ${heading}`);
      const file = path.join(await tempDir(), ".meshdeploy.yaml");
      await writeFile(file, yaml);
      const states = await loadEveryEnvironment(file);
      assert.ok(states.length >= 2);
      for (const desired of states) {
        for (const s of desired.services) if (s.domain !== null) assert.ok(s.ports?.some((p) => p.published), `${desired.environment}: ${s.tag} has a domain and no published port`);
      }
    });
  }
});
