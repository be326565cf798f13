// Room services: CRUD, statuses (404/409/400), normalised storage, id rules, templates.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { dumpServiceSpec } from "../../src/model/spec-model.js";
import type { ServiceSpec } from "../../src/model/service-spec.js";
import { serviceBody, servicesPath, startTestRoom, type TestRoom } from "../helpers/local-room.js";

describe("local room: room services", () => {
  let t: TestRoom;
  before(async () => {
    t = await startTestRoom({ rooms: ["dev", "other"], platform: "0.39.9" });
  });
  after(() => t.dispose());

  const create = async (body: Record<string, unknown>, room = "dev"): Promise<string> => {
    const result = await t.api("POST", servicesPath(room), body);
    assert.equal(result.status, 200, result.text);
    assert.deepEqual(Object.keys(result.body), ["id"]);
    return result.body.id as string;
  };

  it("creates, gets, lists (creation order), updates and deletes a service", async () => {
    const a = await create(serviceBody("crud-a"));
    const b = await create(serviceBody("crud-b"));
    assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const got = await t.api("GET", `${servicesPath()}/${a}`);
    assert.equal(got.status, 200);
    assert.equal(got.body.id, a);
    assert.equal(got.body.metadata.name, "crud-a");
    const listed = await t.api("GET", servicesPath());
    const ids = listed.body.services.map((service: { id: string }) => service.id);
    assert.deepEqual(ids.slice(-2), [a, b]);

    const updated = await t.api("PUT", `${servicesPath()}/${a}`, { ...serviceBody("crud-a"), id: a, container: { image: "busybox:2" } });
    assert.equal(updated.status, 200);
    assert.deepEqual(updated.body, {});
    assert.equal((await t.api("GET", `${servicesPath()}/${a}`)).body.container.image, "busybox:2");
    const order = (await t.api("GET", servicesPath())).body.services.map((service: { id: string }) => service.id);
    assert.deepEqual(order.slice(-2), [a, b], "an update keeps the position");

    const deleted = await t.api("DELETE", `${servicesPath()}/${a}`);
    assert.equal(deleted.status, 200);
    assert.deepEqual(deleted.body, {});
    const gone = await t.api("GET", `${servicesPath()}/${a}`);
    assert.equal(gone.status, 404);
    assert.equal(gone.body.error.message, `service "${a}" not found in room "dev"`);
  });

  it("stores the spec normalised: model defaults filled in, nulls dropped, id first", async () => {
    const id = await create(serviceBody("norm", { ports: [{ num: 8000 }], agents: null, container: { image: "x:1", command: null } }));
    const got = (await t.api("GET", `${servicesPath()}/${id}`)).body;
    assert.deepEqual(got, {
      id,
      version: "v1",
      kind: "Service",
      metadata: { name: "norm" },
      ports: [{ num: 8000, type: "http", endpoints: [] }],
      container: { image: "x:1", private: true },
    });
    assert.equal(Object.keys(got)[0], "id");
  });

  it("ignores an id in a POST body", async () => {
    const id = await create({ ...serviceBody("with-id"), id: "00000000-0000-4000-8000-000000000000" });
    assert.notEqual(id, "00000000-0000-4000-8000-000000000000");
    assert.equal((await t.api("GET", `${servicesPath()}/00000000-0000-4000-8000-000000000000`)).status, 404);
  });

  it("accepts the Python client's PUT body (full dump with explicit nulls and the id)", async () => {
    const id = await create(serviceBody("py-put"));
    const full = dumpServiceSpec({ ...serviceBody("py-put"), id } as ServiceSpec, { excludeNone: false });
    assert.ok(Object.values(full).includes(null), "the body carries explicit nulls");
    const result = await t.api("PUT", `${servicesPath()}/${id}`, full);
    assert.equal(result.status, 200, result.text);
    const got = (await t.api("GET", `${servicesPath()}/${id}`)).body;
    assert.ok(!JSON.stringify(got).includes("null"));
  });

  it("answers 400 naming the path for an unknown field or a bad value", async () => {
    const unknown = await t.api("POST", servicesPath(), serviceBody("bad", { container: { image: "x", imagee: "y" } }));
    assert.equal(unknown.status, 400);
    assert.match(unknown.body.error.message, /container\.imagee: Extra inputs are not permitted/);
    const several = await t.api("POST", servicesPath(), { version: "v2", kind: "Service", metadata: {}, ports: [{ num: -1 }] });
    assert.equal(several.status, 400);
    const message: string = several.body.error.message;
    assert.match(message, /^invalid service spec \(\d+ problems\): version: /);
    assert.match(message, /version: /);
    assert.match(message, /metadata\.name: Field required/);
    assert.match(message, /ports\[0\]\.num: /);
  });

  it("answers 400 for template bodies", async () => {
    const post = await t.api("POST", servicesPath(), { template: "version: v1\nkind: ServiceTemplate\n", values: {} });
    assert.equal(post.status, 400);
    assert.match(post.body.error.message, /service templates are not supported by the local room/);
    const id = await create(serviceBody("tmpl"));
    const put = await t.api("PUT", `${servicesPath()}/${id}`, { template: "x", values: {} });
    assert.equal(put.status, 400);
    assert.match(put.body.error.message, /service templates are not supported/);
  });

  it("answers 409 for a second service with the same name, also when renaming onto it", async () => {
    await create(serviceBody("dup"));
    const again = await t.api("POST", servicesPath(), serviceBody("dup"));
    assert.equal(again.status, 409);
    assert.match(again.body.error.message, /a service named "dup" already exists in room "dev"/);
    const other = await create(serviceBody("dup-2"));
    const rename = await t.api("PUT", `${servicesPath()}/${other}`, { ...serviceBody("dup"), id: other });
    assert.equal(rename.status, 409);
    const self = await t.api("PUT", `${servicesPath()}/${other}`, { ...serviceBody("dup-2"), id: other });
    assert.equal(self.status, 200, "keeping its own name is not a conflict");
    await create(serviceBody("dup"), "other");
  });

  it("answers 400 when the PUT body id differs from the path id", async () => {
    const id = await create(serviceBody("mismatch"));
    const result = await t.api("PUT", `${servicesPath()}/${id}`, { ...serviceBody("mismatch"), id: "something-else" });
    assert.equal(result.status, 400);
    assert.match(result.body.error.message, /does not match the service id in the path/);
    const nullId = await t.api("PUT", `${servicesPath()}/${id}`, { ...serviceBody("mismatch"), id: null });
    assert.equal(nullId.status, 200);
  });

  it("answers 404 for a missing room on every services path, and for a missing service", async () => {
    const base = servicesPath("nope");
    const calls: [string, string, unknown][] = [
      ["GET", base, undefined],
      ["POST", base, serviceBody("x")],
      ["GET", `${base}/abc`, undefined],
      ["PUT", `${base}/abc`, serviceBody("x")],
      ["DELETE", `${base}/abc`, undefined],
    ];
    for (const [method, path, body] of calls) {
      const result = await t.api(method, path, body);
      assert.equal(result.status, 404, `${method} ${path}`);
      assert.equal(result.body.error.message, `room "nope" not found in project "local"`);
    }
    for (const method of ["GET", "PUT", "DELETE"]) {
      const result = await t.api(method, `${servicesPath()}/missing-id`, method === "PUT" ? serviceBody("x") : undefined);
      assert.equal(result.status, 404, method);
      assert.equal(result.body.error.message, `service "missing-id" not found in room "dev"`);
    }
  });

  it("keeps services of different rooms apart", async () => {
    const id = await create(serviceBody("apart"), "other");
    assert.equal((await t.api("GET", `${servicesPath("dev")}/${id}`)).status, 404);
    assert.equal((await t.api("GET", `${servicesPath("other")}/${id}`)).status, 200);
  });
});
