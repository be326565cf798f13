// Injected faults on room RPCs: wraps the room's tool registry so every invoke first asks the
// injector. A unary tool may be delayed, answered with an error (before it runs, or after it ran),
// or have its websocket dropped (InjectedDrop, which the connection turns into a terminate; the
// official client then fails the calls in flight and reconnects). Stream calls (builds, build
// logs) get error answers only: their input is already flowing when the invoke is decided.
import { setTimeout as sleep } from "node:timers/promises";
import { ToolError } from "../room/tool-error.js";
import type { RoomTool, StreamCall, ToolRegistry, UnaryTool } from "../room/tools.js";
import type { FaultDecision, FaultInjector } from "./injector.js";
import { InjectedDrop } from "./drop.js";

const IDLE: StreamCall = { onChunk: () => undefined, onInputClosed: () => undefined, release: () => undefined };

/** The same tools, each asking `injector()` (null: no faults now) on every invoke. */
export function withRpcFaults(tools: ToolRegistry, injector: () => FaultInjector | null): ToolRegistry {
  return new Map([...tools].map(([name, tool]) => [name, wrap(tool, injector)]));
}

function wrap(tool: RoomTool, injector: () => FaultInjector | null): RoomTool {
  if (tool.kind === "unary") return unary(tool, injector);
  return {
    kind: "stream",
    open: (sink, room) => {
      const decision = injector()?.decide("rpc");
      if (decision === undefined || decision.kind === null) return tool.open(sink, room);
      sink.fail(rpcError(decision));
      return IDLE;
    },
  };
}

function unary(tool: UnaryTool, injector: () => FaultInjector | null): UnaryTool {
  return {
    kind: "unary",
    ...(tool.binary === true ? { binary: true } : {}),
    run: async (input, room, data) => {
      const decision = injector()?.decide("rpc");
      if (decision === undefined) return tool.run(input, room, data);
      if (decision.latencyMs > 0) await sleep(decision.latencyMs);
      if (decision.kind === null) return tool.run(input, room, data);
      if (decision.kind === "5xx-after" || decision.kind === "drop-after") {
        // The call's effect (a restart) happens; only its answer is lost.
        await Promise.resolve()
          .then(() => tool.run(input, room, data))
          .catch(() => undefined);
      }
      if (decision.kind === "drop-before" || decision.kind === "drop-after") throw new InjectedDrop(decision.kind);
      throw rpcError(decision);
    },
  };
}

function rpcError(decision: FaultDecision): ToolError {
  if (decision.kind === "429") return new ToolError("OPERATION_FAILED", "injected fault: too many requests, retry later");
  if (decision.kind === "drop-before" || decision.kind === "drop-after") return new ToolError("OPERATION_FAILED", "injected fault: connection dropped");
  return new ToolError("OPERATION_FAILED", `injected fault: server error ${decision.status}`);
}
