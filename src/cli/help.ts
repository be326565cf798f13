// Help texts: one per command, and the overview. Plain strings, no logic.

export const overview = `meshdeploy — declarative deploys for MeshAgent room services

Usage: meshdeploy <command> [options]

Commands:
  validate     Check .meshdeploy.yaml (syntax, schema, rules); no network
  plan         Show what apply would create, update and delete, field by field
  apply        Reconcile the rooms with the config
  watch        Reconcile on every save: rebuild and redeploy only what changed
  sync         Follow a git branch (GitOps): reconcile every new commit, correct drift
  local serve  Run the embedded MeshAgent-compatible local room

Target (plan, apply, watch, sync):
  --local            Use the embedded local room (state in .meshdeploy/local/)
  --api-url URL      MeshAgent API (default: MESHAGENT_API_URL or https://api.meshagent.com)
  --platform VERSION The MeshAgent version to speak (e.g. 0.50.1, 0.39.9) instead of the one the
                     server reports in GET /config (also \`platform:\` in the config)
  --faults SPEC      With --local: inject faults into the local room, e.g.
                     "5xx=0.1,429=0.05,latency=20-80ms,drop=0.05,seed=42" (or MESHDEPLOY_LOCAL_FAULTS)
  Credentials come from MESHAGENT_API_KEY or MESHAGENT_TOKEN; the project from the config's
  \`project:\`, MESHAGENT_PROJECT_ID or the API key.

Exit codes: 0 success / no changes, 1 error, 2 changes present (plan --detailed-exitcode), 130 interrupted.
Run \`meshdeploy <command> --help\` for a command's options.`;

export const commandHelp: Record<string, string> = {
  validate: `Usage: meshdeploy validate [-f FILE] [--platform VERSION] [--local]

Parse FILE (default .meshdeploy.yaml), check it against schemas/meshdeploy.schema.json and
meshdeploy's rules, and read every build: context the way plan would (Dockerfile, VOLUME
mounts, files the room cannot take). Makes no network request. Every error names file:line:col.
  --platform VERSION  also check the rules of that MeshAgent version (e.g. 0.50.1, 0.39.9), which
                      plan runs once the server has said its version; \`platform:\` in FILE does the same
  --local             also check build: tags against the embedded local room's registry and project key`,
  plan: `Usage: meshdeploy plan [-f FILE] [--local | --api-url URL] [--detailed-exitcode]
                       [--output human|json|markdown] [--out PLAN.json] [--prune] [--verbose]
                       [--adopt-from OWNER]
                       [--require-clean] [--timeout SECONDS]

List each room's services once, compare with FILE and print what apply would do.
  --detailed-exitcode   exit 2 when there are changes, 0 when none, 1 on error
  --output FORMAT       human (default), json (versioned, see docs/plan-json.md) or markdown
                        (a table per room, field diffs in collapsible blocks)
  --out PLAN.json       save the plan; \`meshdeploy apply PLAN.json\` applies exactly it, and refuses
                        when the config or a live service it touches changed since
  --prune               include deletes of services this owner manages that FILE no longer declares
                        (in every room of the project, not only the rooms FILE names)
  --max-deletes N       warn when apply would refuse the plan for more than N deletes (default 10)
  --adopt-from OWNER    take over the services of an earlier owner (repeatable; also
                        \`previousOwners:\` in FILE): updated to this owner, not a conflict
  --verbose             also list services that are up to date
  --require-clean       refuse when FILE's git work tree has uncommitted changes (lists them)
  --timeout SECONDS     a deadline for the whole run: a platform request or room call still
                        unanswered then fails, naming itself (each REST request also has its own
                        120 s deadline)
\`\${VAR}\`, \`\${VAR:-default}\`, \`\${VAR:?message}\` in FILE come from the environment (GIT_SHA,
GIT_SHORT_SHA, GIT_BRANCH from git). With GITHUB_STEP_SUMMARY set, the Markdown plan is appended there.`,
  apply: `Usage: meshdeploy apply [-f FILE | PLAN.json] [--local | --api-url URL] [--prune] [--yes]
                        [--adopt-from OWNER] [--max-deletes N] [--concurrency N] [--no-wait]
                        [--wait-timeout SECONDS] [--require-clean] [--timeout SECONDS]

With PLAN.json (from \`plan --out\`): re-list the rooms and apply exactly that plan without asking,
or refuse (exit 1, nothing changed) when the target, the config, a live service it touches or a
build context moved since it was made.

Plan, then build, create, update and delete services so the rooms match FILE. Every secret a
written service refers to must exist first. Updated services are restarted through the room.
  --prune              delete services this owner manages that FILE no longer declares
  --adopt-from OWNER   take over the services of an earlier owner (repeatable)
  --max-deletes N      refuse, before any write, a plan with more than N deletes (default 10)
  --yes                do not ask for confirmation. apply asks only when stdin is a terminal
                       (the question goes to stderr); without one it refuses to change anything
                       unless --yes is given. With --local only deletes need the answer.
                       \`n\` cancels (exit 1); Ctrl-C or Ctrl-D at the question exits 130.
  --concurrency N      services built and written in parallel (default 4)
  --no-wait            do not wait for written services to run
  --wait-timeout S     give up waiting after S seconds (default 300); a crash loop fails at once
  --timeout S          a deadline for the run's platform requests and room calls: past it, the one
                       in flight fails naming itself and no new one starts (each REST request also
                       has its own 120 s deadline; the health wait is --wait-timeout)`,
  sync: `Usage: meshdeploy sync --repo URL [--ref BRANCH] [--path FILE] [--interval SECONDS] [--once]
                       [--local | --api-url URL] [--prune] [--concurrency N] [--no-wait]

Follow a branch like Flux or Argo CD: keep a clone in .meshdeploy/sync/, fetch every interval,
reconcile when the commit changes, and re-plan every interval to correct out-of-band edits.
A commit whose config is invalid is reported and skipped; the last good state stays deployed.
Failed fetches and applies back off (5 s, doubling, at most 5 min) and retry. Each cycle prints
\`commit <sha> <subject>: <what it did>\`. Ctrl-C lets writes in flight finish and exits 130.
  --repo URL           git URL (https, ssh or file://); credentials in it are never printed
  --ref BRANCH         branch or tag to follow (default: the remote's default branch)
  --path FILE          the config inside the repository (default .meshdeploy.yaml)
  --interval SECONDS   time between cycles (default 60)
  --once               run one cycle and exit (1 when it failed or skipped its commit)
  --prune              delete services this owner manages that the config no longer declares
  --adopt-from OWNER   take over the services of an earlier owner (repeatable)
  --max-deletes N      skip a commit whose plan has more than N deletes (default 10)
Without \`owner:\` the owner comes from the repository URL and --path (not --ref), so it is the
one a developer checkout of the same repository gets. An ownership conflict is reported as one.`,
  watch: `Usage: meshdeploy watch [-f FILE] [--local | --api-url URL] [--debounce MS] [--prune]
                        [--concurrency N] [--no-wait] [--wait-timeout SECONDS]

Reconcile once, then follow FILE and every service's build context and reconcile again after
each change, like \`apply --yes\`: only services whose config or context changed are rebuilt and
redeployed. Each cycle names the files that triggered it. Not followed: .git, paths the context's
.dockerignore excludes (the rules packing uses), editor temp and swap files, .meshdeploy/.
An invalid config is reported and the last good one stays deployed; a failed build or deploy is
retried on the next change. Edits made while a cycle runs start exactly one more cycle.
Ctrl-C lets writes in flight finish (at most 10 s), closes the room connections and exits 130.
  --debounce MS        quiet period before a cycle starts (default 300, at least 50)
  --prune              delete services this owner manages that FILE no longer declares
                       (off in watch unless given, whatever the config's \`prune:\` says)
  --adopt-from OWNER   take over the services of an earlier owner (repeatable)
  --max-deletes N      refuse a cycle whose plan has more than N deletes (default 10)
  --concurrency N      services built and written in parallel (default 4)
  --no-wait            do not wait for written services to run
  --wait-timeout S     give up waiting after S seconds (default 300); a crash loop fails at once
  --timeout S          a deadline for the run's platform requests and room calls: past it, the one
                       in flight fails naming itself and no new one starts (each REST request also
                       has its own 120 s deadline; the health wait is --wait-timeout)`,
  "local serve": `Usage: meshdeploy local serve [--port N] [--data DIR] [--token-file FILE | --token T]
                              [--project ID] [--project-key KEY] [--registry HOST] [--room NAME ...]
                              [--platform 0.50.1|0.39.9] [--strictness lenient|strict]

Run the embedded MeshAgent-compatible room on 127.0.0.1 until Ctrl-C. It answers only requests
addressed to a loopback name (Host localhost, 127.0.0.1 or [::1], else 421) and refuses web pages
from other origins (403): a DNS-rebinding page cannot reach it.
  --port N          default 8787
  --data DIR        state directory (default .meshdeploy/local); the token is written to DIR/token
  --token-file FILE bearer token to require, read from FILE (or MESHDEPLOY_LOCAL_TOKEN; default:
                    DIR/token if present, else a new random one)
  --token T         the same from argv (visible to every local user in ps; prefer the above)
  --project ID      project id (default local)
  --project-key KEY project key used by tag shorthand (default local)
  --registry HOST   project registry host (default registry.meshagent.com)
  --room NAME       create this room at start (repeatable)
  --platform V      the MeshAgent generation to speak: 0.50.1 (default for a new DIR) or 0.39.9;
                    an existing DIR keeps its own until another is asked for (0.39.9 → 0.50.1 upgrades)
  --strictness S    lenient (default) or strict: refuse the legacy forms a 0.50.1 server may refuse
  --faults SPEC     inject faults into REST requests and room RPCs (or MESHDEPLOY_LOCAL_FAULTS):
                    5xx=RATE,429=RATE,drop=RATE,latency=MIN-MAXms,after=SHARE,retry-after=S,
                    scope=all|rest|rpc,seed=N — e.g. "5xx=0.1,429=0.05,latency=20-80ms,drop=0.05,seed=42"`,
};
