import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compressUuid, projectIdFromApiKey } from "../../src/platform/api-key.js";
import { resolveCredentials } from "../../src/platform/credentials.js";

const PROJECT = "8c3e1f0a-1b2c-4d5e-8f90-a1b2c3d4e5f6";
const KEY = `ma-${compressUuid("0f0e0d0c-0b0a-4908-8706-050403020100")}-${compressUuid(PROJECT)}-s3cr3t-part`;

describe("credentials", () => {
  it("reads the project id out of an API key (api keys.py base64 UUIDs with '.' for '-')", () => {
    assert.equal(projectIdFromApiKey(KEY), PROJECT);
    assert.equal(projectIdFromApiKey("not-a-key"), null);
    assert.equal(projectIdFromApiKey("ma-abc-def-ghi"), null);
  });

  it("prefers config project, then MESHAGENT_PROJECT_ID, then the key", () => {
    const env = { MESHAGENT_API_KEY: KEY, MESHAGENT_PROJECT_ID: "from-env" };
    assert.equal(resolveCredentials({ apiUrl: undefined, configProject: "cfg", env }).projectId, "cfg");
    assert.equal(resolveCredentials({ apiUrl: undefined, configProject: null, env }).projectId, "from-env");
    assert.equal(resolveCredentials({ apiUrl: undefined, configProject: null, env: { MESHAGENT_API_KEY: KEY } }).projectId, PROJECT);
  });

  it("uses --api-url, then MESHAGENT_API_URL, then the default", () => {
    const env = { MESHAGENT_TOKEN: "jwt-token-value", MESHAGENT_PROJECT_ID: "p", MESHAGENT_API_URL: "http://env:1/" };
    assert.equal(resolveCredentials({ apiUrl: "http://flag:2", configProject: null, env }).apiUrl, "http://flag:2");
    assert.equal(resolveCredentials({ apiUrl: undefined, configProject: null, env }).apiUrl, "http://env:1");
    assert.equal(resolveCredentials({ apiUrl: undefined, configProject: null, env: { MESHAGENT_TOKEN: "t", MESHAGENT_PROJECT_ID: "p" } }).apiUrl, "https://api.meshagent.com");
  });

  it("names --local and the env vars when there is no credential", () => {
    assert.throws(
      () => resolveCredentials({ apiUrl: undefined, configProject: "p", env: {} }),
      (e: Error & { hint?: string }) => /no MeshAgent credentials/.test(e.message) && /MESHAGENT_API_KEY/.test(e.hint ?? "") && /--local/.test(e.hint ?? ""),
    );
  });

  it("refuses an API URL that carries credentials, a query or a fragment, without echoing them", () => {
    const env = { MESHAGENT_TOKEN: "t", MESHAGENT_PROJECT_ID: "p" };
    for (const apiUrl of ["http://alice:pw123@127.0.0.1:8080", "https://tok3n@api.example.test", "https://api.example.test/?access_token=qq1", "https://api.example.test/#pw123"]) {
      assert.throws(
        () => resolveCredentials({ apiUrl, configProject: null, env }),
        (e: Error & { code?: string; hint?: string }) =>
          e.code === "E_CREDENTIALS" && /--api-url may hold only/.test(e.message) && !/pw123|tok3n|qq1|alice/.test(e.message + e.hint) && /MESHAGENT_API_KEY/.test(e.hint ?? ""),
        apiUrl,
      );
    }
    assert.throws(() => resolveCredentials({ apiUrl: undefined, configProject: null, env: { ...env, MESHAGENT_API_URL: "ftp://x" } }), /MESHAGENT_API_URL must start with http:\/\/ or https:\/\//);
    assert.throws(() => resolveCredentials({ apiUrl: "api.meshagent.com", configProject: null, env }), /--api-url is not a URL/);
    assert.throws(
      () => resolveCredentials({ apiUrl: "ma-k1-proj-SECRETXYZ:pw@api.meshagent.com", configProject: null, env }),
      (e: Error) => /must start with http:\/\/ or https:\/\//.test(e.message) && !/secretxyz/i.test(e.message),
    );
    assert.equal(resolveCredentials({ apiUrl: "https://api.example.test/base/", configProject: null, env }).apiUrl, "https://api.example.test/base");
  });
});
