// What every semantic rule sees: the document as written, the services as built, and a locator.
// A rule is a pure function from this context to diagnostics; it never throws for bad input and
// never changes the context.
import type { Diagnostic, SourceLocation } from "../../diagnostic.js";
import type { DesiredService } from "../../model/desired.js";
import type { OwnerSource } from "../../model/owner.js";
import type { RawConfig } from "../raw-config.js";
import type { JsonPath, PathPart } from "../yaml-source.js";

export interface RuleContext {
  /** The schema-valid document, exactly as written. */
  config: RawConfig;
  /** Built services, index-aligned with `config.services`. */
  services: readonly DesiredService[];
  /** The owner in effect (written, derived from git, or the directory name). */
  owner: string;
  ownerSource?: OwnerSource;
  locate(path: JsonPath, part?: PathPart): SourceLocation;
}

export type Rule = (ctx: RuleContext) => Diagnostic[];

/** Every rule finding names the next step, so `hint` is required here. */
export function diagnostic(rule: string, location: SourceLocation, message: string, hint: string): Diagnostic {
  return { message, location, hint, rule };
}

/** ["services", index, ...rest] */
export function servicePath(service: DesiredService, ...rest: (string | number)[]): JsonPath {
  return ["services", service.index, ...rest];
}
