// Every check of the read phase that needs no server: the build contexts (inspect-context.ts) and,
// when the project registry and key are known without asking (the embedded local room), the
// `build:` tags' registry and project key. `validate` runs it after loading the config; `plan` and
// `apply` run it before they open a target, so an invalid context starts nothing, writes nothing
// and sends nothing. Must not: contact a server or write a file.
import type { HashCache } from "../build-context/context-hash.js";
import type { DesiredState } from "../model/desired.js";
import type { NamingContext } from "../model/image-ref.js";
import { stateDirOf } from "../state-dir.js";
import type { ContextPacks } from "./context-packs.js";
import { inspectContexts } from "./inspect-context.js";
import { resolveNames } from "./resolve-names.js";
import { requireTargets } from "./select-targets.js";
import { isTargeting, mayBeTargeted, type Targets } from "../model/targets.js";

export interface OfflineOptions {
  cache: HashCache;
  /** The naming context when it is known offline; null: tags are checked once the server answers. */
  naming: NamingContext | null;
  /** This run's packs, for the read phase to reuse (see context-packs.ts). */
  packs?: ContextPacks;
  /**
   * `--service`/`--room`/`--exclude`: only the targeted contexts are inspected. With the naming
   * context known the targets are checked exactly (an unknown name is refused here); without it
   * every service they may name is inspected (model/targets.ts mayBeTargeted).
   */
  targets?: Targets;
}

/** Throws ConfigError (located diagnostics) for the first phase that finds problems. */
export async function checkOffline(desired: DesiredState, options: OfflineOptions): Promise<void> {
  const { naming, targets } = options;
  const resolved = naming === null ? null : await resolveNames(desired, { namingContext: async () => naming });
  const services = !isTargeting(targets) ? desired.services : resolved !== null ? requireTargets(resolved, targets) : desired.services.filter((s) => mayBeTargeted(s, targets));
  await inspectContexts(services, { cache: options.cache, exclude: [stateDirOf(desired.file)], ...(options.packs ? { packs: options.packs } : {}) });
}
