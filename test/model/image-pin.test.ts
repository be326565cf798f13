import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { IMAGE_DIGEST, IMAGE_TAG } from "../../src/model/annotations.js";
import { pinned, pinnedRef, pinOf, unpinned } from "../../src/model/image-pin.js";

const D = "sha256:" + "a".repeat(64);

describe("image pins", () => {
  it("pinnedRef drops the tag, keeps a registry port", () => {
    assert.equal(pinnedRef("registry.meshagent.com/acme/web:1", D), `registry.meshagent.com/acme/web@${D}`);
    assert.equal(pinnedRef("localhost:5000/web:2", D), `localhost:5000/web@${D}`);
    assert.equal(pinnedRef("localhost:5000/web", D), `localhost:5000/web@${D}`);
  });

  it("pinned ↔ unpinned round-trips the image and image mounts; a pin whose image was edited is no pin", () => {
    const body = { metadata: { name: "w", annotations: { a: "1" } }, container: { image: "r/acme/web:1", storage: { images: [{ image: "r/acme/web:1", path: "/x" }, { image: "r/other:1", path: "/y" }] } } };
    const p = pinned(body, { tag: "r/acme/web:1", digest: D }) as typeof body;
    assert.equal(p.container.image, `r/acme/web@${D}`);
    assert.deepEqual(p.container.storage.images.map((m) => m.image), [`r/acme/web@${D}`, "r/other:1"]);
    assert.deepEqual(p.metadata.annotations, { a: "1", [IMAGE_TAG]: "r/acme/web:1", [IMAGE_DIGEST]: D });
    assert.equal(body.container.image, "r/acme/web:1", "the input is not mutated");
    assert.deepEqual(pinOf(p), { tag: "r/acme/web:1", digest: D });
    assert.deepEqual(unpinned(p), body);
    const edited = { ...p, container: { ...p.container, image: "r/acme/web:2" } };
    assert.equal(pinOf(edited), null);
    assert.equal(unpinned(edited), edited);
  });
});
