// The local build's outcome (check-build.ts) and the build records around it (build-jobs.ts).
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import { gzipSync } from "node:zlib";
import { BuildJobs, KEEP_FINISHED_BUILDS, type BuildEvent } from "../../src/local/builds/build-jobs.js";
import { checkBuild, type BuildInput } from "../../src/local/builds/check-build.js";
import type { ImageRecord } from "../../src/local/state.js";
import { writeTar, type TarInput } from "./tar-writer.js";

const APP: TarInput[] = [
  { path: "app/index.js", content: "1" },
  { path: "app/lib/a.js", content: "2" },
  { path: "app/lib/b.ts", content: "3" },
  { path: "README.md", content: "4" },
];

function input(entries: TarInput[], extra: Partial<BuildInput> = {}): BuildInput {
  return { context: writeTar(entries), tag: "local/web:1", dockerfilePath: null, contextPath: "/context", mountPath: "/context", ...extra };
}

const check = (dockerfile: string, extra: Partial<BuildInput> = {}, entries = APP) => checkBuild(input([{ path: "Dockerfile", content: dockerfile }, ...entries], extra));

describe("checkBuild", () => {
  it("succeeds with one honest line per instruction and digests the context tar", () => {
    const built = input([{ path: "Dockerfile", content: "ARG BASE=node:20\nFROM ${BASE} AS deps\nCOPY app/ /app\nCOPY **/*.js ./\nRUN npm ci\nENV DIR=app\nCOPY $DIR/lib /lib\n" }, ...APP]);
    const outcome = checkBuild(built);
    assert.equal(outcome.exitCode, 0, outcome.lines.join("\n"));
    assert.equal(outcome.digest, `sha256:${createHash("sha256").update(built.context).digest("hex")}`);
    assert.deepEqual(outcome.lines.slice(1), [
      "#0 Dockerfile Dockerfile: 7 instructions, 1 stage",
      "#1 ARG BASE=node:20 — recorded",
      "#2 FROM ${BASE} AS deps — base image node:20 recorded (not pulled)",
      "#3 COPY app/ /app — checked: 3 files",
      "#4 COPY **/*.js ./ — checked: 2 files",
      "#5 RUN npm ci — not executed (the local room checks instructions; it does not run them)",
      "#6 ENV DIR=app — recorded",
      "#7 COPY $DIR/lib /lib — checked: 2 files",
      `#8 image local/web:1 recorded as ${outcome.digest}`,
      "done: the local room checked the Dockerfile against the context; it built no layers and pushed nothing",
    ]);
    assert.match(outcome.lines[0] ?? "", /^#0 build context: \d+ bytes, 5 files, archive sha256:[0-9a-f]{64}$/);
  });

  it("prefers a Containerfile, honours dockerfile_path (absolute in the mount or relative to the context) and context_path", () => {
    const both = checkBuild(input([{ path: "Containerfile", content: "FROM a" }, { path: "Dockerfile", content: "NOPE" }]));
    assert.equal(both.exitCode, 0);
    assert.ok(both.lines.includes("#0 Dockerfile Containerfile: 1 instruction, 1 stage"));
    const nested = [{ path: "svc/docker/Build.df", content: "FROM a\nCOPY src /src" }, { path: "svc/src/x", content: "" }];
    assert.equal(checkBuild(input(nested, { contextPath: "/context/svc", dockerfilePath: "/context/svc/docker/Build.df" })).exitCode, 0);
    assert.equal(checkBuild(input(nested, { contextPath: "/context/svc", dockerfilePath: "docker/Build.df" })).exitCode, 0);
    const outside = checkBuild(input(nested, { dockerfilePath: "/etc/Dockerfile" }));
    assert.ok(outside.lines.includes('error: dockerfile_path "/etc/Dockerfile" is not inside mount_path "/context"'));
  });

  it("fails with exit code 1 and the reason for each kind of Dockerfile error", () => {
    const cases: [string, string][] = [
      ["FROM a\nCOPY missing.txt /x", '#2 COPY missing.txt /x — error: source "missing.txt" not found in the build context (Dockerfile line 2)'],
      ["FROM a\nCOPY *.py /x", '#2 COPY *.py /x — error: source "*.py" not found in the build context (Dockerfile line 2)'],
      ["FROM a\nCOPY ../secret /x", '#2 COPY ../secret /x — error: source "../secret" is outside the build context (Dockerfile line 2)'],
      ["FROM a\nCOPY onlyone", "#2 COPY onlyone — error: COPY needs at least one source and a destination (Dockerfile line 2)"],
      ["RUN echo", "#1 RUN echo — error: no FROM before this instruction: a Dockerfile must start with FROM (only ARG may come first) (Dockerfile line 1)"],
      ["FROM a\nFETCH it", "#2 FETCH it — error: unknown instruction FETCH (Dockerfile line 2)"],
      ["FROM", "#1 FROM — error: expected FROM <image> [AS <name>] (Dockerfile line 1)"],
      ["# nothing here\n", "error: Dockerfile has no instructions"],
      ["ARG X=1", "error: Dockerfile has no FROM instruction"],
      ["FROM a\nRUN <<EOF\nno end", "error: Dockerfile: line 2: heredoc <<EOF is not terminated by a line \"EOF\""],
    ];
    for (const [dockerfile, reason] of cases) {
      const outcome = check(dockerfile);
      assert.equal(outcome.exitCode, 1, dockerfile);
      assert.ok(outcome.lines.includes(reason), `${dockerfile}\n${outcome.lines.join("\n")}`);
      assert.equal(outcome.lines.at(-1), "build failed with exit code 1");
    }
    const none = checkBuild(input(APP));
    assert.ok(none.lines.some((line) => line.startsWith("error: no Dockerfile")));
    const notTar = checkBuild({ ...input(APP), context: Buffer.from("definitely not a tar".repeat(40)) });
    assert.match(notTar.lines[0] ?? "", /^error: the build context is not a readable tar archive/);
  });

  it("does not check COPY --from, remote ADD sources or heredoc sources, and accepts a gzipped context", () => {
    const outcome = check("FROM a AS b\nFROM c\nCOPY --from=b /x /y\nADD https://example.com/f /f\nCOPY <<EOF /etc/x\nhi\nEOF\n");
    assert.equal(outcome.exitCode, 0, outcome.lines.join("\n"));
    assert.ok(outcome.lines.includes('#3 COPY --from=b /x /y — not checked: copies from stage or image "b", not from the build context'));
    assert.ok(outcome.lines.includes("#4 ADD https://example.com/f /f — checked: 0 files; remote source https://example.com/f not fetched"));
    assert.ok(outcome.lines.includes("#5 COPY <<EOF /etc/x — checked: 0 files; inline heredoc EOF"));
    const zipped = input([{ path: "Dockerfile", content: "FROM a" }]);
    assert.equal(checkBuild({ ...zipped, context: gzipSync(zipped.context) }).exitCode, 0);
  });
});

describe("BuildJobs", () => {
  it("runs queued → running → succeeded on a later tick, pushes lines to subscribers, and records the image", async () => {
    const images: ImageRecord[] = [];
    const jobs = new BuildJobs({ newId: () => "b-1", recordImage: async (image) => void images.push(image) });
    const record = jobs.submit("dev", input([{ path: "Dockerfile", content: "FROM a" }]));
    assert.equal(record.status, "queued");
    const events: BuildEvent[] = [];
    const ended = new Promise<void>((resolve) => jobs.subscribe("b-1", (event) => (events.push(event), event.type === "end" && resolve())));
    await ended;
    assert.deepEqual(events.at(-1), { type: "end", status: "succeeded", exitCode: 0 });
    assert.equal(events.filter((event) => event.type === "line").length, 5);
    const done = jobs.get("b-1");
    assert.equal(done?.status, "succeeded");
    assert.equal(done?.digest, images[0]?.digest);
    assert.deepEqual(images.map(({ tag, build_id }) => ({ tag, build_id })), [{ tag: "local/web:1", build_id: "b-1" }]);
    done?.logs.push("mutating a copy");
    assert.equal(jobs.get("b-1")?.logs.length, 5, "records are handed out as copies");
  });

  it("fails a build whose image cannot be recorded, and cancels unfinished builds on close", async () => {
    let next = 0;
    const jobs = new BuildJobs({ newId: () => `b-${++next}`, recordImage: () => Promise.reject(new Error("disk full")) });
    jobs.submit("dev", input([{ path: "Dockerfile", content: "FROM a" }]));
    await new Promise<void>((resolve) => jobs.subscribe("b-1", (event) => event.type === "end" && resolve()));
    assert.equal(jobs.get("b-1")?.status, "failed");
    assert.equal(jobs.get("b-1")?.logs.at(-1), "error: the image could not be recorded: disk full");
    jobs.submit("other", input([{ path: "Dockerfile", content: "FROM a" }]));
    jobs.close();
    assert.deepEqual(jobs.list("other").map(({ status, exit_code }) => ({ status, exit_code })), [{ status: "cancelled", exit_code: null }]);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(jobs.get("b-2")?.logs.length, 0, "a cancelled build is not checked later");
  });

  it(`keeps the newest ${KEEP_FINISHED_BUILDS} finished builds: a long watch (one build per cycle) does not grow list_builds`, async () => {
    let next = 0;
    const jobs = new BuildJobs({ newId: () => `b-${++next}`, recordImage: async () => undefined });
    const total = KEEP_FINISHED_BUILDS + 50;
    for (let i = 1; i <= total; i++) {
      jobs.submit("dev", input([{ path: "Dockerfile", content: "FROM a" }]));
      await new Promise<void>((resolve) => jobs.subscribe(`b-${i}`, (event) => event.type === "end" && resolve()));
    }
    assert.equal(KEEP_FINISHED_BUILDS, 100);
    const kept = jobs.records("dev");
    assert.equal(kept.length, KEEP_FINISHED_BUILDS);
    assert.equal(kept[0]?.id, `b-${total - KEEP_FINISHED_BUILDS + 1}`, "the oldest are forgotten");
    assert.equal(kept.at(-1)?.id, `b-${total}`);
  });
});
