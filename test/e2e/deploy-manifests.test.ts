// The container and Kubernetes examples (Dockerfile, deploy/, docs/running-sync.md) agree with
// the code: non-root, `sync` as the entrypoint, every COPY source exists, the probes hit the
// endpoints `--listen` serves on the port it binds, the Secret carries the variables sync reads,
// and the container's sync flags are ones sync accepts.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, it } from "node:test";
import { parseAllDocuments } from "yaml";
import { REPO_ROOT } from "../helpers/repo-copy.js";
import { flagsOf } from "../../src/cli/completion.js";
import { WEBHOOK_SECRET_ENV } from "../../src/cli/commands/sync.js";

const read = (file: string) => readFile(path.join(REPO_ROOT, file), "utf8");
const docs = async (file: string) => parseAllDocuments(await read(file)).map((d) => d.toJS()).filter(Boolean);

describe("Dockerfile and deploy/", () => {
  it("the Dockerfile builds from this checkout, runs as a non-root user, with sync as the entrypoint", async () => {
    const dockerfile = await read("Dockerfile");
    const final = dockerfile.slice(dockerfile.lastIndexOf("\nFROM "));
    assert.match(final, /\nUSER node\n/);
    assert.doesNotMatch(final.slice(final.indexOf("USER node")), /\nUSER root/);
    assert.match(final, /\nENTRYPOINT \["node", "\/opt\/meshdeploy\/dist\/cli\/main\.js", "sync"\]\n/);
    assert.doesNotMatch(dockerfile, /npm (install|i) (-g )?meshdeploy|meshdeploy@/, "never a package fetched by name");
    for (const m of dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)) for (const source of m[1]!.split(/\s+/)) assert.ok(existsSync(path.join(REPO_ROOT, source)), `COPY ${source}: missing`);
    const ignored = (await read(".dockerignore")).split("\n");
    for (const entry of ["node_modules", "dist", ".meshdeploy", ".git"]) assert.ok(ignored.includes(entry), `.dockerignore: ${entry}`);
  });

  it("the Deployment probes /healthz and /readyz on the port --listen binds, from a Secret sync reads", async () => {
    const [deployment] = await docs("deploy/deployment.yaml");
    assert.equal(deployment.kind, "Deployment");
    assert.equal(deployment.spec.replicas, 1);
    const pod = deployment.spec.template.spec;
    assert.equal(pod.securityContext.runAsNonRoot, true);
    const [container] = pod.containers;
    const args: string[] = container.args;
    const syncFlags = flagsOf("sync");
    for (const arg of args) assert.ok(syncFlags.includes(arg.split("=")[0]!), `${arg}: not a sync flag`);
    const listen = args.find((a) => a.startsWith("--listen="))!.split(":").at(-1);
    const port = container.ports.find((p: { name: string }) => p.name === "http");
    assert.equal(String(port.containerPort), listen);
    assert.equal(container.livenessProbe.httpGet.path, "/healthz");
    assert.equal(container.readinessProbe.httpGet.path, "/readyz");
    assert.equal(container.livenessProbe.httpGet.port, "http");
    const secretName = container.envFrom[0].secretRef.name;
    const [secret] = await docs("deploy/secret.yaml");
    assert.equal(secret.metadata.name, secretName);
    assert.deepEqual(Object.keys(secret.stringData).sort(), ["MESHAGENT_API_KEY", WEBHOOK_SECRET_ENV].sort());
    const [service] = await docs("deploy/service.yaml");
    assert.deepEqual(service.spec.selector, deployment.spec.selector.matchLabels);
    assert.equal(service.metadata.annotations["prometheus.io/path"], "/metrics");
  });

  it("the docs name the files and the replica test", async () => {
    const text = await read("docs/running-sync.md");
    for (const file of ["Dockerfile", "deploy/", "test/reliability/sync-replicas.test.ts"]) assert.ok(text.includes(file), file);
    assert.ok(existsSync(path.join(REPO_ROOT, "test/reliability/sync-replicas.test.ts")));
  });
});
