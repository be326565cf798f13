// Registry credentials find a repository past the first page (0.44.7+ pages the listing; the
// 0.50.1 local room pages by 2) instead of POSTing a duplicate that answers 409 forever; a 0.39
// listing (no token) is read once, as before; from 0.48 one by-name look-up replaces the walk.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { HttpClient } from "../../src/platform/http-client.js";
import { registryCredentials } from "../../src/platform/registry.js";
import { call, PID, startTestRoom, TOKEN, type TestRoom } from "../helpers/local-room.js";

for (const platform of ["0.39.9", "0.50.1"] as const) {
  describe(`registry credentials at ${platform}`, () => {
    let t: TestRoom;
    before(async () => {
      t = await startTestRoom({ platform });
    });
    after(() => t.dispose());

    it("finds the fifth repository and creates none", async () => {
      const path = `/accounts/projects/${PID}/repositories`;
      for (let i = 1; i <= 5; i += 1) assert.equal((await call(t.room.url, "POST", path, { name: `repo-${i}`, description: "", annotations: {} })).status, 200);
      const http = new HttpClient({ baseUrl: t.room.url, token: TOKEN });
      try {
        const secrets: string[] = [];
        const credentials = await registryCredentials(http, `/accounts/projects/${PID}`, "repo-5", "registry.example", (s) => secrets.push(s));
        assert.equal(credentials.password, secrets[0]);
      } finally {
        await http.close();
      }
      const listed = await call(t.room.url, "GET", platform === "0.50.1" ? `${path}?page_size=100` : path);
      assert.equal((listed.body.repositories as unknown[]).length, 5, "no duplicate was created");
    });

    if (platform === "0.50.1") {
      it("0.48+: finds a repository with one by-name request, and creates a missing one once", async () => {
        const http = new HttpClient({ baseUrl: t.room.url, token: TOKEN });
        try {
          const before = http.requestCount;
          await registryCredentials(http, `/accounts/projects/${PID}`, "repo-5", "registry.example", () => {}, { byName: true });
          assert.equal(http.requestCount - before, 2, "GET by-name + POST token");
          await registryCredentials(http, `/accounts/projects/${PID}`, "acme/new-repo", "registry.example", () => {}, { byName: true });
          const found = await call(t.room.url, "GET", `/accounts/projects/${PID}/repositories/by-name/${encodeURIComponent("acme/new-repo")}`);
          assert.equal(found.status, 200, found.text);
        } finally {
          await http.close();
        }
      });
    }
  });
}
