// `meshdeploy destroy` (issue 17 item 4), on each generation: every service this owner manages, in
// every room of the project (also rooms the config no longer names), and the routes it created go;
// other owners' and unmanaged services stay; without a terminal it needs --yes.
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { runInProcess } from "../helpers/capture-io.js";
import { call, PID, serviceBody, servicesPath, startHarness, TOKEN, type Harness } from "../helpers/local-room.js";
import { forEachPlatform } from "../helpers/platforms.js";

const names = async (h: Harness, room: string): Promise<string[]> => (await call(h.room.url, "GET", servicesPath(room))).body.services.map((s: { metadata: { name: string } }) => s.metadata.name).sort();

forEachPlatform("meshdeploy destroy", (platform) => {
  let h: Harness;
  let env: Record<string, string>;
  before(async () => {
    h = await startHarness({ platform, rooms: ["dev", "other"] });
    env = { MESHAGENT_API_KEY: TOKEN, MESHAGENT_PROJECT_ID: PID };
  });
  after(() => h.close());
  const cli = (args: string[]) => runInProcess([...args, "--api-url", h.room.url], { cwd: h.projectDir, env });

  it("deletes this owner's services in every room and their routes, keeps everything else; refuses without --yes off a terminal", async () => {
    await h.writeConfig(
      "version: 1\nowner: shop\nservices:\n" +
        "  - tag: shop/web:1\n    room: dev\n    ports: [{num: 8000, type: http, published: true}]\n    domain: web.example.meshagent.app\n" +
        "  - tag: shop/worker:1\n    room: other\n",
    );
    const applied = await cli(["apply", "--yes", "--no-wait"]);
    assert.equal(applied.code, 0, applied.stdout + applied.stderr);
    await h.writeConfig("version: 1\nowner: other-team\nservices:\n  - tag: team/api:1\n    room: dev\n", "team.yaml");
    assert.equal((await cli(["apply", "-f", "team.yaml", "--yes", "--no-wait"])).code, 0);
    assert.equal((await call(h.room.url, "POST", servicesPath("dev"), serviceBody("by-hand"))).status, 200);
    // The config now names only dev: destroy still finds the worker in room other.
    await h.writeConfig("version: 1\nowner: shop\nservices:\n  - tag: shop/web:1\n    room: dev\n");
    const routes = async () => (await call(h.room.url, "GET", `/accounts/projects/${PID}/rooms/dev/routes`)).body.routes?.length ?? 0;
    assert.equal(await routes(), 1);

    const refused = await cli(["destroy"]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /destroy would delete 2 services of owner shop in rooms dev, other and stdin is not a terminal/);
    assert.match(refused.stderr, /--yes/);
    assert.deepEqual(await names(h, "dev"), ["by-hand", "team-api", "shop-web"].sort());

    const destroyed = await cli(["destroy", "--yes"]);
    assert.equal(destroyed.code, 0, destroyed.stdout + destroyed.stderr);
    assert.match(destroyed.stdout, /owned by shop \(destroy\)/);
    assert.deepEqual(await names(h, "dev"), ["by-hand", "team-api"]);
    assert.deepEqual(await names(h, "other"), []);
    assert.equal(await routes(), 0, "the route meshdeploy created is gone");

    const again = await cli(["destroy"]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /Nothing to destroy/);
  });

  it("keeps prune's guards: a protected service stops the whole destroy; the directory-name owner is refused", async () => {
    await h.writeConfig("version: 1\nowner: guarded\nservices:\n  - tag: guarded/db:1\n    room: dev\n    protect: true\n  - tag: guarded/app:1\n    room: dev\n");
    assert.equal((await cli(["apply", "--yes", "--no-wait"])).code, 0);
    const refused = await cli(["destroy", "--yes"]);
    assert.equal(refused.code, 1, refused.stdout + refused.stderr);
    assert.match(refused.stdout, /guarded-db in room dev is protected/);
    assert.ok((await names(h, "dev")).includes("guarded-db") && (await names(h, "dev")).includes("guarded-app"), "nothing deleted");
    await h.writeConfig("version: 1\nservices:\n  - tag: guarded/app:1\n    room: dev\n");
    const noOwner = await cli(["destroy", "--yes"]);
    assert.equal(noOwner.code, 1);
    assert.match(noOwner.stderr, /needs an explicit owner/);
  });
});
