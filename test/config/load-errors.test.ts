// One fixture per error kind: the exact message, rule, line and column of every diagnostic.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { problemsOf, seen, type Seen } from "./helpers.js";

const CASES: Record<string, Seen[]> = {
  "invalid/unknown-key.yaml": [
    { at: "5:5", rule: "schema", message: "unknown key `tgas`; did you mean `tag`?" },
    { at: "6:5", rule: "schema", message: "unknown key `envv`; did you mean `env`?" },
  ],
  // Compose's spelling (and its misspelling) is too far from `env` for the edit distance; only a
  // service has `env:`, so the top level gets no such suggestion: there the closest key is the
  // `environments:` overlay map (issue 16), found by plain edit distance.
  "invalid/compose-environment.yaml": [
    { at: "3:1", rule: "schema", message: "unknown key `environment`; did you mean `environments`?" },
    { at: "6:5", rule: "schema", message: "unknown key `environment`; did you mean `env`? (Compose's `environment:` is `env:` here)" },
    { at: "8:5", rule: "schema", message: "unknown key `enviroment`; did you mean `env`? (Compose's `environment:` is `env:` here)" },
  ],
  "invalid/wrong-type.yaml": [
    { at: "5:13", rule: "schema", message: 'Expected a boolean (true or false) for `services[0].public`, got string "yes"' },
    { at: "7:14", rule: "schema", message: 'Expected an integer for `services[0].ports[0].num`, got string "8000"' },
  ],
  "invalid/bad-enum.yaml": [
    { at: "5:12", rule: "schema", message: 'Expected one of `userDefault`, `agentDefault`, `full` for `services[0].token`, got string "fulll"; did you mean `full`?' },
    { at: "7:27", rule: "schema", message: 'Expected one of `http`, `tcp` for `services[0].ports[0].type`, got string "udp"' },
  ],
  "invalid/token-type.yaml": [
    { at: "5:12", rule: "schema", message: "Expected one of `userDefault`, `agentDefault`, `full` or a custom ApiScope mapping for `services[0].token`, got number 5" },
  ],
  "invalid/version.yaml": [{ at: "1:10", rule: "schema", message: "Expected `version: 1`, got number 2" }],
  "invalid/missing-required.yaml": [{ at: "4:5", rule: "schema", message: "missing required key `tag` in `services[0]`" }],
  "invalid/yaml-syntax.yaml": [
    { at: "6:3", rule: "yaml", message: "invalid YAML: Flow map in block collection must be sufficiently indented and end with a }" },
  ],
  "invalid/duplicate-key.yaml": [{ at: "7:7", rule: "yaml-duplicate-key", message: "duplicate key `APP_ENV`: first defined at line 6" }],
  "invalid/non-string-key.yaml": [{ at: "6:7", rule: "yaml-key", message: "Expected a string key, got number 8000" }],
  "invalid/alias-bomb.yaml": [{ at: "5:5", rule: "yaml-alias", message: "alias `*b` expands to more than 100 nodes: refusing a possible YAML alias bomb" }],
  "invalid/empty.yaml": [{ at: "1:1", rule: "yaml-root", message: "Expected a mapping with `version: 1` and `services:`, got an empty document" }],
  "invalid/not-a-mapping.yaml": [{ at: "1:1", rule: "yaml-root", message: "Expected a mapping with `version: 1` and `services:` at the top level, got a list" }],
  "invalid/binary.yaml": [{ at: "3:1", rule: "yaml-binary", message: "Expected a YAML text file, got binary data (control character U+0000)" }],
  "invalid/not-utf8.yaml": [{ at: "2:1", rule: "yaml-binary", message: "Expected UTF-8 text, got invalid bytes (a binary file?)" }],
  "invalid/bad-room-name.yaml": [
    {
      at: "2:7",
      rule: "room-name",
      message: "Expected a MeshAgent room name (1–63 lowercase letters, digits or '-', starting and ending with a letter or digit) for `room`, got \"Dev_Room\"",
    },
    {
      at: "6:11",
      rule: "room-name",
      message: "Expected a MeshAgent room name (1–63 lowercase letters, digits or '-', starting and ending with a letter or digit) for `services[1].room`, got \"-staging\"",
    },
  ],
  "invalid/missing-room.yaml": [{ at: "3:5", rule: "service-room", message: "Expected a room for service `web:1`, got none" }],
  "invalid/bad-tag.yaml": [
    { at: "4:10", rule: "tag", message: "invalid repository name in `tag:` Web:1" },
    { at: "5:10", rule: "tag", message: "`tag:` must be an OCI image reference without a digest" },
  ],
  "invalid/duplicate-service-name.yaml": [
    {
      at: "5:10",
      rule: "duplicate-service-name",
      message: "duplicate service name `<project-key>-web` in room `dev`: the service at line 4 derives the same name",
    },
    { at: "7:10", rule: "duplicate-service-name", message: "duplicate service name `acme-api` in room `dev`: the service at line 6 derives the same name" },
  ],
  "invalid/domain-ports.yaml": [
    { at: "6:13", rule: "domain-port", message: "Expected exactly one published port for `domain`, got none" },
    { at: "11:13", rule: "domain-port", message: "Expected exactly one published port for `domain`, got 2 (8000, 9000)" },
  ],
  "invalid/secrets-without-token.yaml": [{ at: "5:5", rule: "secrets-token", message: "Expected `runAs:` (MeshAgent 0.45+) or `token:` (0.39) on a service with `secrets:`, got neither" }],
  "invalid/user-identity.yaml": [
    { at: "5:15", rule: "agent-identity", message: "Expected an agent identity (no '@') for `identity` with `token:`, got \"alice@example.com\"" },
  ],
  "invalid/env-secret-clash.yaml": [
    { at: "9:7", rule: "env-secret-clash", message: "environment variable `DB_PASSWORD` is set in both `env:` (line 7) and `secrets:`" },
  ],
  "invalid/token-env.yaml": [
    { at: "6:11", rule: "token-env", message: "`OPENAI_API_KEY` in `env:` conflicts with `token:`, which sets it" },
    { at: "7:15", rule: "token-env", message: "`MESHAGENT_TOKEN` in `secrets:` conflicts with `token:`, which sets it" },
  ],
  "invalid/mount-syntax.yaml": [
    { at: "6:14", rule: "mount-syntax", message: "mounts.room must be in the form '<source>:<mount>[:ro|rw]', got \"assets\"" },
    { at: "6:24", rule: "mount-syntax", message: "mounts.room must include both source and mount paths, got \" : /srv\"" },
    { at: "7:17", rule: "mount-syntax", message: "mounts.project cannot be empty, got \"  \"" },
    { at: "8:16", rule: "mount-syntax", message: "mounts.images must be in the form '<image>=<mount>[:ro|rw]', got \"busybox\"" },
    { at: "8:27", rule: "mount-syntax", message: "mounts.images must be in the form '<image>=<mount>[:ro|rw]', got \"busybox=/a:b:ro\"" },
    { at: "8:46", rule: "mount-syntax", message: "mounts.images must include both image and mount paths, got \"=/opt\"" },
    { at: "9:19", rule: "mount-syntax", message: "mounts.emptyDirs must be in the form '<mount>[:ro|rw]', got \"/tmp:x\"; did you mean `:ro`?" },
    { at: "9:29", rule: "mount-syntax", message: "mounts.emptyDirs must include a mount path, got \":ro\"" },
    { at: "9:36", rule: "mount-syntax", message: "mounts.emptyDirs must be in the form '<mount>[:ro|rw]', got \"a:b:rw\"" },
  ],
  "invalid/port-reserved.yaml": [
    { at: "6:14", rule: "port-reserved", message: "service port 8078 is reserved for MeshAgent room infrastructure; reserved ports: 8078" },
  ],
  "invalid/port-duplicate.yaml": [{ at: "7:15", rule: "port-unique", message: "port 8000 is declared twice in this service (first at line 6)" }],
  "invalid/token-scope.yaml": [
    { at: "6:7", rule: "token-scope", message: "unknown ApiScope grant `agnets`; did you mean `agents`?" },
    { at: "8:17", rule: "token-scope", message: "invalid ApiScope at `token.storage.paths[0].path`: Field required" },
  ],
  "_scratch/.meshdeploy.yaml": [
    {
      at: "2:1",
      rule: "owner",
      message: "Expected the config directory's name to be a valid owner (1–63 letters, digits, '.', '_' or '-', starting with a letter or digit), got \"_scratch\"",
    },
  ],
};

describe("every error kind is located exactly", () => {
  for (const [name, expected] of Object.entries(CASES)) {
    test(name, async () => {
      assert.deepEqual(seen(await problemsOf(name)), expected);
    });
  }
});

describe("hints name the next step", () => {
  test("unknown keys list what is allowed", async () => {
    const [first] = await problemsOf("invalid/unknown-key.yaml");
    assert.equal(first?.hint, "allowed keys in `services[0]`: tag, name, build, room, env, secrets, identity, token, mounts, ports, domain, public, protect, runAs, template, enabled, validation, environments");
  });
  test("secrets without runAs or token explain both generations' rule", async () => {
    const [first] = await problemsOf("invalid/secrets-without-token.yaml");
    assert.equal(
      first?.hint,
      "on MeshAgent 0.45+ secrets belong to a service account: add `runAs: {email: <service account email>}`; on 0.39 a room secret is readable only by an identity that also gets a token (here the service name): add e.g. `token: agentDefault`",
    );
  });
  test("mount errors show the CLI flag and the object form", async () => {
    const [first] = await problemsOf("invalid/mount-syntax.yaml");
    assert.equal(first?.hint, 'the same syntax as the CLI\'s --room-mount, e.g. "/assets:/srv/assets:ro"; or write a mapping {source, path, readOnly}');
  });
  test("a missing key's hint is its schema description", async () => {
    const [first] = await problemsOf("invalid/missing-required.yaml");
    assert.match(first?.hint ?? "", /^MeshAgent image reference \(the CLI's --tag\)/);
  });
});
