// The shared first half of `plan` and `apply`: load the config (before anything is started, so a
// bad config changes nothing), open the target, plan against the live rooms, hand the result to
// the command, and always close the target afterwards.
// The offline checks run between loading and opening (nothing has been started yet).
import path from "node:path";
import { loadHashCache, saveHashCache } from "../../build-context/hash-cache-file.js";
import { loadConfig } from "../../config/load.js";
import type { DesiredState } from "../../model/desired.js";
import { ContextPacks } from "../../read/context-packs.js";
import type { Targets } from "../../model/targets.js";
import { checkOffline } from "../../read/offline-checks.js";
import { planDesired, type Reconciliation } from "../../reconcile.js";
import { stateDirOf } from "../../state-dir.js";
import { configVariables, DEFAULT_CONFIG, type CommandContext } from "./context.js";
import { offlineNaming, openTarget, type OpenTarget, type TargetFlags } from "./open-target.js";

export interface FreshPlanArgs extends TargetFlags {
  file: string | undefined;
  prune: boolean;
  requireClean?: boolean;
  /** false: --no-secret-check (plan does not look up referenced secrets; apply still does). */
  secretCheck?: boolean;
  /** false: --no-rebuild-on-adopt. */
  rebuildOnAdopt?: boolean;
  /** `--adopt-from OWNER` (repeatable). */
  adoptFrom?: string[];
  /** `--service`/`--room`/`--exclude` (model/targets.ts); absent or empty: the whole config. */
  targets?: Targets | undefined;
}

export interface FreshPlan {
  /** The config file, absolute. */
  file: string;
  desired: DesiredState;
  opened: OpenTarget;
  run: Reconciliation;
}

export async function withFreshPlan<T>(args: FreshPlanArgs, ctx: CommandContext, use: (fresh: FreshPlan) => Promise<T>): Promise<T> {
  const file = path.resolve(ctx.io.cwd, args.file ?? DEFAULT_CONFIG);
  const desired = await loadConfig(file, configVariables(args, ctx.io));
  // Every offline check (build contexts, local-room tags) before a target is opened: an invalid
  // context sends no request, starts no local room and creates no .meshdeploy/. The contexts are
  // packed once (the plan reuses the check's packs) with the last run's file hashes, and the
  // hashes this run used are saved once it has planned.
  const hashCache = loadHashCache(stateDirOf(file));
  const packs = new ContextPacks();
  const targets = args.targets === undefined ? {} : { targets: args.targets };
  await checkOffline(desired, { cache: hashCache, naming: offlineNaming(args, ctx.io, desired), packs, ...targets });
  const opened = await openTarget(args, desired, ctx.io, ctx.redactor);
  try {
    const run = await planDesired(opened.target, desired, { prune: args.prune, createRooms: opened.createRooms, requireClean: args.requireClean ?? false, adoptFrom: args.adoptFrom ?? [], secretCheck: args.secretCheck ?? true, rebuildOnAdopt: args.rebuildOnAdopt ?? true, hashCache, packs, ...targets });
    await saveHashCache(stateDirOf(file), hashCache);
    return await use({ file, desired, opened, run });
  } finally {
    await opened.close();
  }
}
