// Notifications after a sync cycle: a commit status on GitHub (`--github-status`) and a generic
// JSON webhook (`--notify URL`). Each request has a deadline; a failure is returned as text for
// the log and never fails the cycle. The bodies are built by the caller (plain data).
import type { CycleReport } from "./sync-loop.js";

export const NOTIFY_TIMEOUT_MS = 10_000;
export const STATUS_CONTEXT = "meshdeploy/sync";

export type CommitState = "success" | "failure" | "error" | "pending";

/** The commit status a cycle gives its head commit; null: nothing to say (interrupted, no head). */
export function commitStatus(report: CycleReport): { sha: string; state: CommitState; description: string } | null {
  if (report.head === null || report.outcome === "interrupted") return null;
  const sha = report.head.sha;
  const r = report.reconciled;
  switch (report.outcome) {
    case "applied":
    case "drift-corrected":
    case "up-to-date":
      return { sha, state: "success", description: report.outcome === "up-to-date" ? "deployed, up to date" : `deployed (${r?.result ? `${r.result.summary.created} created, ${r.result.summary.updated} updated, ${r.result.summary.deleted} deleted` : "no changes"})` };
    case "drift-detected":
      return { sha, state: "success", description: "deployed; edited outside meshdeploy, not corrected (self-heal off)" };
    case "suspended":
      return { sha, state: "pending", description: "suspended: changes planned, not applied" };
    case "skipped":
      return { sha, state: "failure", description: `not deployed: ${report.skipped?.error?.message ?? "invalid config"}` };
    case "failed":
      return { sha, state: report.skipped ? "failure" : "error", description: `failed: ${report.error?.message ?? "unknown error"}` };
  }
}

/** `https://github.com/acme/deploy.git`, `git@github.com:acme/deploy.git`, `ssh://git@host/acme/deploy` → `acme/deploy`. */
export function githubRepoOf(url: string): string | null {
  const scp = /^[\w.-]+@[\w.-]+:([\w.-]+\/[\w.-]+?)(?:\.git)?\/?$/.exec(url);
  if (scp) return scp[1]!;
  try {
    const parsed = new URL(url);
    if (parsed.protocol === "file:") return null;
    const m = /^\/([\w.-]+\/[\w.-]+?)(?:\.git)?\/?$/.exec(parsed.pathname);
    return m ? m[1]! : null;
  } catch {
    return null;
  }
}

export interface Notifier {
  /** Every request of one cycle; resolves to the failures (never rejects). */
  send(report: CycleReport, event: Record<string, unknown>): Promise<string[]>;
}

export interface NotifierOptions {
  webhooks: string[];
  github: { apiUrl: string; repo: string; token: string; targetUrl?: string } | null;
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** Applied to every string sent (the credentials in play never leave in a notification). */
  redact?: (text: string) => string;
}

function redactDeep(value: unknown, redact: (text: string) => string): unknown {
  if (typeof value === "string") return redact(value);
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, redact));
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v, redact)]));
  return value;
}

export function createNotifier(options: NotifierOptions): Notifier {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? NOTIFY_TIMEOUT_MS;
  /** The last state posted per commit: a steady commit is not posted again every interval. */
  const posted = new Map<string, string>();
  async function post(what: string, url: string, body: unknown, headers: Record<string, string>): Promise<string | null> {
    try {
      const sent = JSON.stringify(options.redact ? redactDeep(body, options.redact) : body);
      const res = await doFetch(url, { method: "POST", headers: { "content-type": "application/json", "user-agent": "meshdeploy-sync", ...headers }, body: sent, signal: AbortSignal.timeout(timeoutMs) });
      await res.arrayBuffer().catch(() => undefined);
      return res.ok ? null : `${what}: HTTP ${res.status}`;
    } catch (error) {
      const name = (error as Error).name;
      return `${what}: ${name === "TimeoutError" ? `no answer within ${timeoutMs / 1000}s` : (error as Error).message}`;
    }
  }
  return {
    async send(report, event) {
      const jobs: Promise<string | null>[] = options.webhooks.map((url) => post(`notify ${new URL(url).origin}`, url, event, {}));
      const status = options.github ? commitStatus(report) : null;
      if (options.github && status !== null && posted.get(status.sha) !== `${status.state} ${status.description}`) {
        const { apiUrl, repo, token, targetUrl } = options.github;
        const body = { state: status.state, context: STATUS_CONTEXT, description: status.description.slice(0, 140), ...(targetUrl ? { target_url: targetUrl } : {}) };
        jobs.push(
          post(`GitHub status for ${status.sha.slice(0, 7)}`, `${apiUrl.replace(/\/+$/, "")}/repos/${repo}/statuses/${status.sha}`, body, {
            authorization: `Bearer ${token}`,
            accept: "application/vnd.github+json",
            "x-github-api-version": "2022-11-28",
          }).then((failure) => {
            if (failure === null) posted.set(status.sha, `${status.state} ${status.description}`);
            return failure;
          }),
        );
      }
      return (await Promise.all(jobs)).filter((f): f is string => f !== null);
    },
  };
}
