import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import {
  ImageRefError,
  needsNamingContext,
  parseImageRef,
  resolveImage,
  resolveProjectRegistry,
  serviceNameOf,
  type TagMode,
} from "../../src/model/image-ref.js";
import { pyIsDigit, pyStrip } from "../../src/model/python-str.js";

// Byte-identical copy of /work/shared/meshagent/image-ref-vectors.json (outputs of MeshAgent CLI
// 0.39.9's own image.py functions), vendored so CI works on a fresh checkout.
const VECTORS = new URL("../fixtures/image-ref-vectors.json", import.meta.url);

interface Outcome {
  image: string | null;
  serviceName: string | null;
  error: string | null;
}
interface VectorCase {
  tag: string;
  projectRegistry: string;
  projectKey: string;
  withoutPath: Outcome;
  withPath: Outcome;
}

const cases = (JSON.parse(readFileSync(VECTORS, "utf8")) as { cases: VectorCase[] }).cases;
const ACME = { projectRegistry: "registry.meshagent.com", projectKey: "acme" };

function outcome(tag: string, ctx: typeof ACME, mode: TagMode): Outcome {
  try {
    const { image, serviceName } = resolveImage(tag, ctx, mode);
    return { image, serviceName, error: null };
  } catch (error) {
    assert.ok(error instanceof ImageRefError, `unexpected ${String(error)}`);
    assert.equal(error.code, "E_NAMING");
    assert.equal(error.input, tag);
    return { image: null, serviceName: null, error: error.message };
  }
}

for (const [mode, column] of [["deploy", "withoutPath"], ["build", "withPath"]] as const) {
  describe(`CLI vectors, ${column} (mode ${mode})`, () => {
    assert.ok(cases.length > 0);
    for (const c of cases) {
      test(`${JSON.stringify(c.tag)} [${c.projectRegistry} ${c.projectKey}]`, () => {
        const ctx = { projectRegistry: c.projectRegistry, projectKey: c.projectKey };
        assert.deepEqual(outcome(c.tag, ctx, mode), c[column]);
      });
    }
  });
}

describe("image-refs.md §6 examples outside the vector file", () => {
  const cases: [string, TagMode, Outcome][] = [
    ["\ufeffapi:1", "deploy", { image: null, serviceName: null, error: "invalid OCI image repository: \ufeffapi:1" }],
    ["\u200bapi:1", "deploy", { image: null, serviceName: null, error: "invalid OCI image repository: \u200bapi:1" }],
    ["\x85\u3000web:1\u2028", "deploy", { image: "registry.meshagent.com/acme/web:1", serviceName: "acme-web", error: null }],
    ["  Api:1 ", "deploy", { image: null, serviceName: null, error: "invalid OCI image repository:   Api:1 " }],
    ["localhost:²/app", "deploy", { image: "localhost:²/app", serviceName: "app", error: null }],
    ["localhost:①/app", "deploy", { image: "localhost:①/app", serviceName: "app", error: null }],
    ["localhost:½/app", "deploy", { image: null, serviceName: null, error: "invalid OCI image registry port: localhost:½/app" }],
    ["my.org/api:3", "deploy", { image: "my.org/api:3", serviceName: "api", error: null }],
    ["box:8080/svc:1", "deploy", { image: "box:8080/svc:1", serviceName: "svc", error: null }],
    ["app:v1:v2", "deploy", { image: null, serviceName: null, error: "missing repository name in OCI image reference: app:v1:v2" }],
    ["host:5000:6000/app", "deploy", { image: null, serviceName: null, error: "invalid OCI image registry port: host:5000:6000/app" }],
    ["LOCALHOST/app", "deploy", { image: null, serviceName: null, error: "invalid OCI image repository: LOCALHOST/app" }],
    ["reg.io./app", "deploy", { image: null, serviceName: null, error: "invalid OCI image registry: reg.io./app" }],
    ["me@host.io/app", "deploy", { image: null, serviceName: null, error: "--tag must be an OCI image reference without a digest" }],
    [`web:${"a".repeat(128)}`, "deploy", { image: `registry.meshagent.com/acme/web:${"a".repeat(128)}`, serviceName: "acme-web", error: null }],
    ["123/web:1", "build", { image: null, serviceName: null, error: "the image tag project key does not match the selected project: expected registry.meshagent.com/acme/..., got registry.meshagent.com/123/..." }],
  ];
  for (const [tag, mode, expected] of cases) {
    test(`${JSON.stringify(tag)} (${mode})`, () => assert.deepEqual(outcome(tag, ACME, mode), expected));
  }

  test("a bad project key fails when the rebuilt reference is parsed again, quoting it", () => {
    const ctx = { projectRegistry: "registry.meshagent.com", projectKey: "Bad_Key" };
    for (const mode of ["deploy", "build"] as const) {
      assert.throws(() => resolveImage("web:1", ctx, mode), (error: unknown) => {
        assert.ok(error instanceof ImageRefError);
        assert.equal(error.message, "invalid OCI image repository: registry.meshagent.com/Bad_Key/web:1");
        assert.equal(error.input, "web:1");
        return true;
      });
    }
  });

  test("a project without a key (0.46.2+): one-piece tags and builds are refused, saying why; namespaced tags still deploy", () => {
    const ctx = { projectRegistry: "registry.meshagent.com", projectKey: null };
    assert.throws(() => resolveImage("web:1", ctx, "deploy"), /the project has no project key \(MeshAgent 0\.46\.2\+ allows that\).*write the repository with its namespace \(e\.g\. acme\/web\)/);
    assert.throws(() => resolveImage("registry.meshagent.com/acme/web:1", ctx, "build"), /the project has no project key.*`build:` pushes to the project registry under the key/);
    assert.deepEqual(resolveImage("acme/web:1", ctx, "deploy").serviceName, "acme-web");
  });

  test("parseImageRef returns the parts; serviceNameOf keeps _ . and --", () => {
    assert.deepEqual(parseImageRef(" ghcr.io:443/org/my_app--x.y:V1 "), {
      value: "ghcr.io:443/org/my_app--x.y:V1",
      registry: "ghcr.io:443",
      repository: "org/my_app--x.y",
      tag: "V1",
    });
    assert.equal(serviceNameOf(parseImageRef("org/my_app--x.y")), "org-my_app--x.y");
  });
});

describe("python-str", () => {
  test("pyStrip uses Python's whitespace set", () => {
    assert.equal(pyStrip("\x1c\x1d\x1e\x1f\x85\xa0 a b\u2029\u202f\u205f\t"), "a b");
    assert.equal(pyStrip("\ufeffa\u200b"), "\ufeffa\u200b");
  });
  test("pyIsDigit accepts Unicode decimal and digit characters only", () => {
    for (const s of ["0123", "５０００", "²³¹", "①⑨", "٣", "\u{1F101}"]) assert.ok(pyIsDigit(s), s);
    for (const s of ["", "½", "Ⅻ", "1a", "-1", " 1"]) assert.ok(!pyIsDigit(s), s);
  });
});

describe("resolveProjectRegistry", () => {
  test("domains.registry, trimmed", () => {
    assert.equal(resolveProjectRegistry({ domains: { registry: "  reg.example.dev:5443 \n", api: "api.x.io" } }, ""), "reg.example.dev:5443");
  });
  test("domains.api with api. prefix, port kept", () => {
    assert.equal(resolveProjectRegistry({ domains: { registry: "  ", api: "api.x.io:8443" } }, ""), "registry.x.io:8443");
    assert.equal(resolveProjectRegistry({ domains: { api: "https://API.x.io/v1" } }, ""), "registry.x.io");
  });
  test("falls back to the configured API URL, then the default", () => {
    assert.equal(resolveProjectRegistry({ domains: { api: "x.io" } }, "https://api.meshagent.com"), "registry.meshagent.com");
    assert.equal(resolveProjectRegistry({ domains: null }, "http://api.local.test:8080/"), "registry.local.test:8080");
    assert.equal(resolveProjectRegistry(null, "http://127.0.0.1:8787"), "registry.meshagent.com");
    assert.equal(resolveProjectRegistry({}, ""), "registry.meshagent.com");
  });
  test("a bad port fails only on an api. host (where the CLI would crash with ValueError)", () => {
    assert.equal(resolveProjectRegistry({ domains: { api: "x.io:bad" } }, ""), "registry.meshagent.com");
    assert.throws(() => resolveProjectRegistry({ domains: { api: "api.x.io:99999" } }, ""), { code: "E_NAMING" });
  });
});

describe("needsNamingContext", () => {
  test("deploy without PATH looks up only for single-piece repositories", () => {
    assert.equal(needsNamingContext("web:1", "deploy"), true);
    assert.equal(needsNamingContext("registry.meshagent.com/web:1", "deploy"), true);
    assert.equal(needsNamingContext("ghcr.io/app", "deploy"), true);
    assert.equal(needsNamingContext("acme/web:1", "deploy"), false);
    assert.equal(needsNamingContext("ghcr.io/org/app:v1", "deploy"), false);
  });
  test("with PATH always looks up; parse errors never do", () => {
    assert.equal(needsNamingContext("acme/web:1", "build"), true);
    assert.equal(needsNamingContext("ghcr.io/org/app:v1", "build"), true);
    assert.equal(needsNamingContext("Web:1", "build"), false);
    assert.equal(needsNamingContext("   ", "deploy"), false);
  });
});
