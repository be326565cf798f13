// The signal of an injected dropped connection: thrown by the fault layer, caught by the REST
// dispatcher (destroys the TCP socket) and the room connection (terminates the websocket), which
// then send no answer at all.
import type { FaultKind } from "./injector.js";

export class InjectedDrop extends Error {
  readonly fault: FaultKind;
  constructor(fault: FaultKind) {
    super(`injected fault: connection dropped (${fault})`);
    this.name = "InjectedDrop";
    this.fault = fault;
  }
}
