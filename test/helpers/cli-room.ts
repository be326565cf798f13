// A suite's local room with runCli pointed at it through the environment, the way a user's shell
// points the CLI at a MeshAgent server (MESHAGENT_API_URL / _API_KEY / _PROJECT_ID). Room "dev" is
// emptied before each test. Call inside a `describe`.
import { after, before, beforeEach } from "node:test";
import { runCli } from "../../src/cli/run.js";
import { captureIo, type CapturedIo } from "./capture-io.js";
import { type Harness, startHarness, TOKEN } from "./local-room.js";

export interface CliRoom {
  /** The harness (set once the suite's `before` ran). */
  readonly h: Harness;
  /** runCli in the project directory against the room; `io` overrides parts of the captured Io (a terminal, answers). */
  cli(args: string[], io?: Partial<CapturedIo>): Promise<{ code: number; io: CapturedIo }>;
  /** The names of room dev's services, sorted. */
  names(): Promise<string[]>;
}

export function cliRoomSuite(): CliRoom {
  let harness: Harness | undefined;
  const h = (): Harness => {
    if (harness === undefined) throw new Error("cliRoomSuite: the room is started in the suite's before()");
    return harness;
  };
  before(async () => {
    harness = await startHarness({ rooms: ["dev"] });
  });
  after(() => harness?.close());
  beforeEach(async () => {
    for (const s of await h().target().listServices("dev")) await h().target().deleteService("dev", s.id);
  });
  return {
    get h() {
      return h();
    },
    async cli(args, io = {}) {
      const captured = { ...captureIo(h().projectDir, { MESHAGENT_API_URL: h().room.url, MESHAGENT_API_KEY: TOKEN, MESHAGENT_PROJECT_ID: "local" }), ...io } as CapturedIo;
      return { code: await runCli(args, captured), io: captured };
    },
    async names() {
      return (await h().target().listServices("dev")).map((s) => s.metadata.name).sort();
    },
  };
}
