// Injected faults on a REST request, around its handler: latency first, then a 429 or a 5xx
// (before the handler runs, or after it ran so the change is made but the answer is lost), or a
// dropped connection (the dispatcher destroys the socket when it sees InjectedDrop). The error
// texts say the fault was injected, so nobody mistakes it for a bug in the local room.
import { setTimeout as sleep } from "node:timers/promises";
import { RequestError, type RequestErrorStatus } from "../errors.js";
import { InjectedDrop } from "./drop.js";
import type { FaultDecision, FaultInjector, FaultKind } from "./injector.js";

/** An injected error answer; `fault` goes into the request log. */
export class InjectedFault extends RequestError {
  readonly fault: FaultKind;
  constructor(fault: FaultKind, status: RequestErrorStatus, message: string, headers: Record<string, string> = {}) {
    super(status, message, headers);
    this.name = "InjectedFault";
    this.fault = fault;
  }
}

/** Runs `handler` under the injector's next REST decision. */
export async function withRestFault(injector: FaultInjector, handler: () => Promise<unknown>): Promise<unknown> {
  const decision = injector.decide("rest");
  if (decision.latencyMs > 0) await sleep(decision.latencyMs);
  if (decision.kind === null) return handler();
  if (decision.kind === "5xx-after" || decision.kind === "drop-after") {
    // The change is made (and durable); only its answer is replaced.
    await handler().catch(() => undefined);
  }
  throw restFailure(decision, injector.spec.retryAfterSeconds);
}

function restFailure(decision: FaultDecision, retryAfterSeconds: number): Error {
  const kind = decision.kind!;
  if (kind === "drop-before" || kind === "drop-after") return new InjectedDrop(kind);
  if (kind === "429") {
    return new InjectedFault(kind, 429, "injected fault: too many requests, retry later", { "Retry-After": String(retryAfterSeconds) });
  }
  // Same words before and after the handler: a real server does not say whether it applied the change.
  return new InjectedFault(kind, decision.status as RequestErrorStatus, `injected fault: server error ${decision.status}`);
}
