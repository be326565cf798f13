// The GitOps pull loop (`meshdeploy sync`), like Flux and Argo CD: every interval, fetch the
// followed ref; a new commit is read and validated straight from git, then checked out and
// reconciled; the same commit is re-planned anyway, so out-of-band edits are corrected (self-heal).
// A commit whose config is invalid is reported once and skipped, and the last good state stays
// (its checkout and its desired state). Transient failures (fetch, network, apply) back off and
// retry. Time is injected: `sleep` and `signal` come from the caller, and `cycle()` can be driven
// one step at a time. All state lives in the instance.
import { CONTEXT_HASH_BUILTIN } from "../../model/builtin-value.js";
import path from "node:path";
import type { ApplyResult, RunSettings } from "../../apply/apply-plan.js";
import type { DesiredState } from "../../model/desired.js";
import type { Diagnostic } from "../../diagnostic.js";
import { parseConfig } from "../../config/load.js";
import { applyRun, planDesired, runHealth } from "../../reconcile.js";
import { healthError, unhealthy } from "../../apply/check-health.js";
import { asError, ConfigError, MeshdeployError } from "../../errors.js";
import { hasChanges, type Plan } from "../../plan/types.js";
import type { Target } from "../../platform/target.js";
import { backoffDelay } from "./backoff.js";
import { gitBuiltins } from "../../git/builtins.js";
import { directoryOwner, ownerInRepository } from "../../git/owner-default.js";
import type { DefaultOwner } from "../../model/owner.js";
import type { Commit, FollowedRepo } from "./sync-repo.js";

export interface SyncTargets {
  /** The target for a config's `project:` and `platform:` (the caller opens it once and reuses it). */
  open(config: Pick<DesiredState, "project" | "platform">): Promise<{ target: Target; createRooms: boolean }>;
}

export interface SyncLoopOptions {
  repo: FollowedRepo;
  /** The config's path inside the repository (POSIX separators). */
  path: string;
  intervalMs: number;
  env: Readonly<Record<string, string | undefined>>;
  /** `-e NAME` (or MESHDEPLOY_ENVIRONMENT): the config environment every commit is reconciled as. */
  environment?: string | undefined;
  targets: SyncTargets;
  prune: boolean;
  /** `--adopt-from`: earlier owners whose services are taken over (with the config's `previousOwners:`). */
  adoptFrom?: readonly string[];
  apply: RunSettings;
  signal: AbortSignal;
  /** Resolves after `ms`, or early when `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  onReport(report: CycleReport): void;
  /**
   * Checked before every apply: while true the loop still fetches, validates and plans (and so
   * reports drift) but writes nothing (`flux suspend`, Argo's self-heal off).
   */
  suspended?: () => boolean;
  /** false: out-of-band edits of the deployed commit are reported, not corrected (Argo's `selfHeal: false`); new commits still apply. */
  selfHeal?: boolean;
}

/** What the loop did with a desired state this cycle. */
export interface Reconciled {
  commit: Commit;
  /** `suspended`: there were changes, and applying is paused (nothing written). */
  /** `drift-detected`: the deployed commit's services were edited out of band and self-heal is off (nothing written). */
  what: "applied" | "up-to-date" | "drift-corrected" | "drift-detected" | "suspended";
  plan: Plan;
  result: ApplyResult | null;
}

export interface CycleReport {
  /** The commit the ref points at (null when fetching failed). */
  head: Commit | null;
  outcome: "applied" | "up-to-date" | "drift-corrected" | "drift-detected" | "suspended" | "skipped" | "failed" | "interrupted";
  /** When the head was skipped: why (diagnostics with the config text, or an error), and whether it was reported before. */
  skipped?: { diagnostics: Diagnostic[]; source: string | null; error: Error | null; repeated: boolean; why: SkipReason };
  /** The reconciliation that ran (of the head, or of the last good commit when the head was skipped). */
  reconciled?: Reconciled;
  /** When the head was skipped: the last good commit, still the desired state (even if re-planning it failed). */
  kept?: Commit;
  error?: Error;
  /** Set by cycle(): how long the cycle took (fetch, plan and apply). */
  durationMs?: number;
  /** Set by run(): when the next cycle starts. */
  nextInMs?: number;
}

/**
 * Why a commit was skipped, said as what it is: an invalid config, an ownership conflict (a live
 * service of another owner: `--adopt-from` / `previousOwners:` takes it over), a protected service
 * prune would delete, another plan problem, or more deletes than `--max-deletes` allows.
 */
export type SkipReason = "invalid-config" | "ownership-conflict" | "protected" | "plan-problem" | "max-deletes";

/** The plan of a commit cannot be applied (its problems); `kind` is the first problem's. */
class PlanRefused extends MeshdeployError {
  constructor(readonly why: SkipReason, message: string, hint: string | undefined) {
    super("E_CONFLICT", message, hint === undefined ? {} : { hint });
  }
}

interface GoodState {
  commit: Commit;
  desired: DesiredState;
}

class CommitRejected extends Error {
  constructor(readonly diagnostics: Diagnostic[], readonly source: string | null, readonly reason: Error | null, readonly why: SkipReason = "invalid-config") {
    super(reason?.message ?? `${diagnostics.length} error(s) in the config`);
  }
}

export class SyncLoop {
  readonly #options: SyncLoopOptions;
  #good: GoodState | null = null;
  readonly #rejected = new Map<string, CommitRejected>();
  #failures = 0;
  #resumed = false;
  #defaultOwner: DefaultOwner | null = null;

  constructor(options: SyncLoopOptions) {
    this.#options = options;
  }

  /** The commit whose config is deployed (null before the first good one). */
  get lastGood(): Commit | null {
    return this.#good?.commit ?? null;
  }

  async run(): Promise<void> {
    const { signal, intervalMs } = this.#options;
    while (!signal.aborted) {
      const report = await this.cycle();
      const nextInMs = report.outcome === "failed" ? backoffDelay(this.#failures, intervalMs) : intervalMs;
      this.#options.onReport({ ...report, nextInMs });
      if (report.outcome === "interrupted") return;
      // Retrying cannot fix a bad flag or missing credentials: stop with the error (exit 1).
      if (report.outcome === "failed" && isFatal(report.error)) throw report.error;
      await this.#options.sleep(nextInMs, signal);
    }
  }

  async cycle(): Promise<CycleReport> {
    const started = performance.now();
    const report = await this.#cycle();
    this.#failures = report.outcome === "failed" ? this.#failures + 1 : 0;
    return { ...report, durationMs: performance.now() - started };
  }

  async #cycle(): Promise<CycleReport> {
    let head: Commit;
    try {
      head = await this.#options.repo.fetch();
      await this.#resume();
    } catch (error) {
      return { head: null, outcome: this.#options.signal.aborted ? "interrupted" : "failed", error: asError(error) };
    }
    if (this.#good?.commit.sha === head.sha) return this.#heal(head, undefined);
    const known = this.#rejected.get(head.sha);
    if (known !== undefined) return this.#heal(head, skippedOf(known, true));
    let source: string | null = null;
    try {
      const candidate = await this.#adopt(head, (text) => (source = text));
      const report = this.#report(head, undefined, await this.#reconcile(candidate, "applied"));
      // A failed, interrupted or suspended apply is retried as a new commit next cycle; only success makes it the good state.
      if (report.outcome === "applied" || report.outcome === "up-to-date") this.#good = candidate;
      return report;
    } catch (error) {
      const rejected = rejection(error, source);
      if (rejected === null) return this.#failure(head, undefined, error);
      this.#rejected.set(head.sha, rejected);
      if (this.#good === null) await this.#options.repo.forget?.().catch(() => {});
      if (this.#good !== null) {
        try {
          await this.#options.repo.checkout(this.#good.commit.sha);
        } catch (checkoutError) {
          return this.#failure(head, skippedOf(rejected, false), checkoutError);
        }
      }
      return this.#heal(head, skippedOf(rejected, false));
    }
  }

  /** A restarted sync keeps the state the previous run left checked out (only valid commits are). */
  async #resume(): Promise<void> {
    if (this.#resumed) return;
    const commit = await this.#options.repo.checkedOut();
    this.#resumed = true;
    if (commit === null) return;
    const text = await this.#options.repo.readFile(commit.sha, this.#options.path);
    const parsed = text === null ? null : this.#parse(commit, text, await this.#ownerDefault());
    if (parsed?.ok) this.#good = { commit, desired: parsed.desired };
  }

  #parse(commit: Commit, text: string, defaultOwner: DefaultOwner): ReturnType<typeof parseConfig> {
    const { repo } = this.#options;
    const builtins = { ...CONTEXT_HASH_BUILTIN, ...gitBuiltins({ root: repo.dir, sha: commit.sha, branch: repo.branch() }) };
    return parseConfig(text, this.#configFile(), { env: this.#options.env, builtins, defaultOwner, environment: this.#options.environment });
  }

  #configFile(): string {
    return path.join(this.#options.repo.dir, ...this.#options.path.split("/"));
  }

  /**
   * Without `owner:`, the owner a developer checkout of the same repository and path would get
   * (git/owner-default.ts): the clone's remote is the followed URL, so neither --ref nor the
   * cache directory enters it.
   */
  async #ownerDefault(): Promise<DefaultOwner> {
    this.#defaultOwner ??= (await ownerInRepository(this.#options.repo.dir, this.#options.path).catch(() => null)) ?? directoryOwner(this.#configFile());
    return this.#defaultOwner;
  }

  /** Reads and validates `head`'s config straight from git, then checks the commit out. */
  async #adopt(head: Commit, onText: (text: string) => void): Promise<GoodState> {
    const { repo } = this.#options;
    const text = await repo.readFile(head.sha, this.#options.path);
    if (text === null) throw new CommitRejected([], null, new Error(`${this.#options.path} does not exist in this commit`));
    onText(text);
    const parsed = this.#parse(head, text, await this.#ownerDefault());
    // The text came from git, not from the work tree (which holds another commit): locate the
    // errors in git's own `<commit>:<path>` notation, which `git show` accepts as is.
    const file = `${head.sha.slice(0, 7)}:${this.#options.path}`;
    if (!parsed.ok) throw new CommitRejected(parsed.diagnostics.map((d) => ({ ...d, location: { ...d.location, file } })), text, null);
    await repo.checkout(head.sha);
    return { commit: head, desired: parsed.desired };
  }

  /** Re-plans the last good state (if any) and corrects what differs. */
  async #heal(head: Commit, skipped: CycleReport["skipped"]): Promise<CycleReport> {
    if (this.#good === null) return { head, outcome: "skipped", ...(skipped ? { skipped } : {}) };
    try {
      return this.#report(head, skipped, await this.#reconcile(this.#good, "drift-corrected"));
    } catch (error) {
      return this.#failure(head, skipped, error);
    }
  }

  async #reconcile(state: GoodState, onChange: "applied" | "drift-corrected"): Promise<Reconciled> {
    const { target, createRooms } = await this.#options.targets.open(state.desired);
    const run = await planDesired(target, state.desired, { prune: this.#options.prune, createRooms, adoptFrom: this.#options.adoptFrom ?? [] });
    if (run.plan.problems.length > 0) {
      const first = run.plan.problems[0]!;
      const why: SkipReason = first.kind === "ownership" ? "ownership-conflict" : first.kind === "protected" ? "protected" : "plan-problem";
      throw new PlanRefused(why, `the plan has ${run.plan.problems.length} problem(s): ${first.name} in room ${first.room}: ${first.message}`, first.hint);
    }
    if (!hasChanges(run.plan)) {
      // Health is part of converged: an up-to-date cycle still reads it (one services.list per room).
      const bad = unhealthy(await runHealth(target, run, { ...this.#options.apply, signal: this.#options.signal }));
      if (bad.length > 0) throw healthError(bad, { detailed: true });
      return { commit: state.commit, what: "up-to-date", plan: run.plan, result: null };
    }
    if (this.#options.suspended?.() === true) return { commit: state.commit, what: "suspended", plan: run.plan, result: null };
    // Re-planning the good state finds config changes, not drift, when a previous run checked the
    // commit out and died before applying it (kill -9 mid-cycle): that is applying, not correcting.
    const configChanged = run.plan.services.some((s) => s.type === "update" && !s.drift);
    if (onChange === "drift-corrected" && !configChanged && this.#options.selfHeal === false) return { commit: state.commit, what: "drift-detected", plan: run.plan, result: null };
    const result = await applyRun(target, run, { ...this.#options.apply, signal: this.#options.signal });
    return { commit: state.commit, what: onChange === "drift-corrected" && configChanged ? "applied" : onChange, plan: run.plan, result };
  }

  #report(head: Commit, skipped: CycleReport["skipped"], reconciled: Reconciled): CycleReport {
    const base = { head, ...(skipped ? { skipped } : {}), reconciled };
    const summary = reconciled.result?.summary;
    if (summary && summary.skipped > 0 && this.#options.signal.aborted) return { ...base, outcome: "interrupted" };
    if (summary && summary.failed > 0) return { ...base, outcome: "failed", error: new MeshdeployError("E_APPLY", `${summary.failed} service(s) failed`) };
    const bad = unhealthy(reconciled.result?.health ?? []);
    if (bad.length > 0) return { ...base, outcome: "failed", error: healthError(bad, { detailed: true }) };
    return { ...base, outcome: skipped ? "skipped" : reconciled.what };
  }

  #failure(head: Commit, skipped: CycleReport["skipped"], error: unknown): CycleReport {
    const outcome = this.#options.signal.aborted ? "interrupted" : "failed";
    const kept = skipped && this.#good ? { kept: this.#good.commit } : {};
    return { head, outcome, ...(skipped ? { skipped } : {}), ...kept, error: asError(error) };
  }
}

function skippedOf(rejected: CommitRejected, repeated: boolean): NonNullable<CycleReport["skipped"]> {
  return { diagnostics: rejected.diagnostics, source: rejected.source, error: rejected.reason, repeated, why: rejected.why };
}

/**
 * Errors that are the commit's fault (retrying cannot help: invalid config, naming, build context,
 * plan problems), as a rejection; null for anything else.
 */
function rejection(error: unknown, source: string | null): CommitRejected | null {
  if (error instanceof CommitRejected) return error;
  if (error instanceof ConfigError) return new CommitRejected([...error.diagnostics], source, null);
  if (error instanceof PlanRefused) return new CommitRejected([], null, error, error.why);
  if (error instanceof MeshdeployError && error.code === "E_CONFLICT") return new CommitRejected([], null, error, "plan-problem");
  if (error instanceof MeshdeployError && error.code === "E_MAX_DELETES") return new CommitRejected([], null, error, "max-deletes");
  return null;
}

/** Errors of the invocation itself, the same for every commit and every retry. */
function isFatal(error: Error | undefined): error is Error {
  return error instanceof MeshdeployError && (error.code === "E_USAGE" || error.code === "E_CREDENTIALS");
}
