// Room services at platform 0.50.1: bodies are validated and stored with the 0.50.1 rules
// (src/local/platform.ts seam), checked against the vectors the real 0.50.1 models produced
// (/work/shared/meshagent/spec-vectors-0.50.1.json): a valid case's input is stored as its `post`
// body (plus the id), an invalid case is a 400 naming each of pydantic's errors.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { serviceBody, servicesPath, startTestRoom, type TestRoom } from "../helpers/local-room.js";

interface VectorError { loc: (string | number)[]; msg: string }
interface VectorCase { name: string; input: Record<string, unknown>; post?: Record<string, unknown>; error?: { count: number; errors: VectorError[] } }

const VECTORS = JSON.parse(readFileSync(new URL("../fixtures/spec-vectors-0.50.1.json", import.meta.url), "utf8")) as { cases: VectorCase[] };

/**
 * pydantic's error as the local room words it: loc as an issue path (`container.environment[0].secret`),
 * without the union-member parts pydantic adds (`literal['*']`, `constrained-int`); the 0.39.9
 * interpreter leaves out pydantic's "Value error, " prefix, so it is compared without it.
 */
function issueText(error: VectorError): string {
  const path = error.loc
    .filter((part) => typeof part === "number" || /^[A-Za-z_][A-Za-z0-9_]*$/.test(part))
    .reduce<string>((at, part) => (typeof part === "number" ? `${at}[${part}]` : at === "" ? part : `${at}.${part}`), "");
  return `${path || "(spec)"}: ${error.msg.replace(/^Value error, /, "")}`;
}

describe("local room 0.50.1: room services validated and stored with the 0.50.1 models", { timeout: 60_000 }, () => {
  let t: TestRoom;
  before(async () => {
    t = await startTestRoom({ platform: "0.50.1" });
  });
  after(() => t.dispose());

  for (const vector of VECTORS.cases) {
    it(`vector ${vector.name}`, async () => {
      const created = await t.api("POST", servicesPath(), vector.input);
      if (vector.error !== undefined) {
        assert.equal(created.status, 400, created.text);
        const message: string = created.body.error.message;
        const problems = vector.error.count === 1 ? "1 problem" : `${vector.error.count} problems`;
        assert.ok(message.startsWith(`invalid service spec (${problems}): `), message);
        const said = message.replace(/: Value error, /g, ": ");
        for (const error of vector.error.errors) assert.ok(said.includes(issueText(error)), `${message}\n  lacks ${issueText(error)}`);
        return;
      }
      assert.equal(created.status, 200, created.text);
      const id: string = created.body.id;
      try {
        const stored = await t.api("GET", `${servicesPath()}/${id}`);
        assert.deepEqual(stored.body, { id, ...vector.post });
        assert.deepEqual(Object.keys(stored.body), ["id", ...Object.keys(vector.post ?? {})], "keys in model order");
      } finally {
        await t.api("DELETE", `${servicesPath()}/${id}`);
      }
    });
  }

  it("keeps the 0.39.9 error body shape ({error: {message}}) for the rules only 0.50.1 has", async () => {
    const body = serviceBody("acme-web", {
      container: { image: "registry.meshagent.com/local/acme-web:1", secrets: null, environment: [{ name: "S", secret: { id: "s1" } }], storage: { project: [] } },
    });
    const answer = await t.api("POST", servicesPath(), body);
    assert.equal(answer.status, 400);
    // pydantic's order: the declared fields first (storage, with its own extra key), then the model's
    // extra keys — as the vectors show it (foreignBodies: mounts-project put, storage-nulls put, …).
    assert.deepEqual(answer.body, {
      error: { message: "invalid service spec (2 problems): container.storage.project: Extra inputs are not permitted; container.secrets: Extra inputs are not permitted" },
    });
    const noRunAs = await t.api("POST", servicesPath(), serviceBody("acme-web", { container: { image: "i:1", environment: [{ name: "S", secret: { id: "s1" } }] } }));
    assert.deepEqual(noRunAs.body, { error: { message: "invalid service spec (1 problem): container: container.run_as is required when using SecretValue" } });
  });

  it("refuses the 0.39.9 PUT dump (container.secrets: null) and stores template/enabled defaults on PUT", async () => {
    const created = await t.api("POST", servicesPath(), serviceBody("acme-put"));
    const id: string = created.body.id;
    const put039 = await t.api("PUT", `${servicesPath()}/${id}`, { ...serviceBody("acme-put"), id, container: { image: "i:2", secrets: null, private: true } });
    assert.equal(put039.status, 400);
    assert.match(put039.body.error.message, /container\.secrets: Extra inputs are not permitted/);
    const put = await t.api("PUT", `${servicesPath()}/${id}`, { ...serviceBody("acme-put"), id, container: { image: "i:2" } });
    assert.equal(put.status, 200, put.text);
    const stored = await t.api("GET", `${servicesPath()}/${id}`);
    assert.equal(stored.body.enabled, true);
    assert.equal(stored.body.container.template, "agent");
    assert.equal(stored.body.container.image, "i:2");
  });
});

describe("local room 0.39.9 (the default today): the 0.50.1-only fields stay refused", () => {
  let t: TestRoom;
  before(async () => {
    t = await startTestRoom({ platform: "0.39.9" });
  });
  after(() => t.dispose());

  it("rejects enabled and container.template, and stores no defaults for them", async () => {
    const refused = await t.api("POST", servicesPath(), serviceBody("acme-web", { enabled: true }));
    assert.equal(refused.status, 400);
    assert.match(refused.body.error.message, /enabled: Extra inputs are not permitted/);
    const created = await t.api("POST", servicesPath(), serviceBody("acme-web"));
    const stored = await t.api("GET", `${servicesPath()}/${created.body.id}`);
    assert.equal("enabled" in stored.body, false);
    assert.equal("template" in stored.body.container, false);
  });
});
