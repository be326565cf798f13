// Restart after a PUT, as the CLI does (it does not rely on an update restarting the container).
// A failed restart is tried twice more; if it still fails, the spec-hash on the service is
// marked restart-pending so the next plan updates (and restarts) it again instead of calling
// it up to date — a lost restart is never silently forgotten.
import { MeshdeployError } from "../errors.js";
import { RESTART_PENDING_PREFIX, SPEC_HASH } from "../model/annotations.js";
import type { PlannedService } from "../plan/types.js";
import type { RoomApi } from "../platform/room-api.js";
import type { Target } from "../platform/target.js";
import type { Clock } from "./state-poller.js";

const ATTEMPTS = 3;
const BACKOFF_MS = 500;

export async function restartOrMarkPending(target: Target, room: RoomApi, service: PlannedService, id: string, clock: Clock): Promise<void> {
  let last: unknown;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    try {
      await room.restart(id);
      return;
    } catch (error) {
      last = error;
      if (attempt < ATTEMPTS) await clock.sleep(BACKOFF_MS * attempt);
    }
  }
  const why = last instanceof Error ? last.message : String(last);
  const marked = await markPending(target, service, id).then(
    () => "the next apply restarts it",
    (error: unknown) => `marking it for the next apply failed too (${error instanceof Error ? error.message : String(error)}); restart it in the room`,
  );
  throw new MeshdeployError("E_ROOM", `${service.name}: the spec was written but the restart failed: ${why}`, { hint: marked, cause: last });
}

async function markPending(target: Target, service: PlannedService, id: string): Promise<void> {
  const body = structuredClone(service.body!) as { metadata: { annotations: Record<string, string> } };
  const hash = body.metadata.annotations[SPEC_HASH] ?? "";
  body.metadata.annotations[SPEC_HASH] = `${RESTART_PENDING_PREFIX}${hash}`;
  await target.updateService(service.room, id, body);
}
