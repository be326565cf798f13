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
  --local            Use the embedded local room (state in .meshdeploy/local/ beside the config file)
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
  validate: `Usage: meshdeploy validate [-f | --file FILE]

Parse FILE (default .meshdeploy.yaml), check it against schemas/meshdeploy.schema.json and
meshdeploy's rules. Makes no network request. Every error names file:line:col.`,
  plan: `Usage: meshdeploy plan [-f FILE] [--local | --api-url URL] [--detailed-exitcode]
                       [--output human|json|markdown] [--out PLAN.json] [--prune] [--verbose]
                       [--require-clean]

List each room's services once, compare with FILE and print what apply would do.
  -f, --file FILE      the config (default .meshdeploy.yaml in the current directory)
  --local              target the embedded local room (state in .meshdeploy/local/ beside FILE)
  --api-url URL        target this MeshAgent API (default MESHAGENT_API_URL or https://api.meshagent.com;
                       credentials from MESHAGENT_API_KEY or MESHAGENT_TOKEN)
  --detailed-exitcode   exit 2 when there are changes, 0 when none, 1 on error
  --output FORMAT       human (default), json (versioned, see docs/plan-json.md) or markdown
                        (a table per room, field diffs in collapsible blocks)
  --out PLAN.json       save the plan; \`meshdeploy apply PLAN.json\` applies exactly it, and refuses
                        when the config or a live service it touches changed since
  --prune               include deletes of services this owner manages that FILE no longer declares
  --verbose             also list services that are up to date
  --require-clean       refuse when FILE's git work tree has uncommitted changes (lists them)
\`\${VAR}\`, \`\${VAR:-default}\`, \`\${VAR:?message}\` in FILE come from the environment (GIT_SHA,
GIT_SHORT_SHA, GIT_BRANCH, GIT_BRANCH_SLUG from git unless set there; a dirty tree's shas end in -dirty). With GITHUB_STEP_SUMMARY set, the Markdown plan is appended there.`,
  apply: `Usage: meshdeploy apply [-f FILE | PLAN.json] [--local | --api-url URL] [--prune] [--yes]
                        [--concurrency N] [--no-wait] [--wait-timeout SECONDS] [--require-clean]

With PLAN.json (from \`plan --out\`): re-list the rooms and apply exactly that plan without asking,
or refuse (exit 1, nothing changed) when the target, the config, a live service it touches or a
build context moved since it was made.

Plan, then build, create, update and delete services so the rooms match FILE. Every secret a
written service refers to must exist first. Updated services are restarted through the room.
  -f, --file FILE      the config (default .meshdeploy.yaml in the current directory)
  --local              target the embedded local room (state in .meshdeploy/local/ beside FILE)
  --api-url URL        target this MeshAgent API (default MESHAGENT_API_URL or https://api.meshagent.com;
                       credentials from MESHAGENT_API_KEY or MESHAGENT_TOKEN)
  --prune              delete services this owner manages that FILE no longer declares
  --yes                do not ask for confirmation (asked only on a terminal)
  --concurrency N      services built and written in parallel (default 4)
  --no-wait            do not wait for written services to run
  --wait-timeout S     give up waiting after S seconds (default 300); a crash loop fails at once`,
  sync: `Usage: meshdeploy sync --repo URL [--ref BRANCH] [--path FILE] [--interval SECONDS] [--once]
                       [--local | --api-url URL] [--prune] [--concurrency N] [--no-wait]
                       [--wait-timeout SECONDS]

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
  --local              target the embedded local room (state in .meshdeploy/local/ in the current directory)
  --api-url URL        target this MeshAgent API (default MESHAGENT_API_URL; credentials from
                       MESHAGENT_API_KEY or MESHAGENT_TOKEN)
  --concurrency N      services built and written in parallel (default 4)
  --no-wait            do not wait for written services to run
  --wait-timeout S     give up waiting after S seconds (default 300); a crash loop fails at once`,
  watch: `Usage: meshdeploy watch [-f FILE] [--local | --api-url URL] [--debounce MS] [--prune]
                        [--concurrency N] [--no-wait] [--wait-timeout SECONDS]

Reconcile once, then follow FILE and every service's build context and reconcile again after
each change, like \`apply --yes\`: only services whose config or context changed are rebuilt and
redeployed. Each cycle names the files that triggered it. Not followed: .git, paths the context's
.dockerignore excludes (the rules packing uses), editor temp and swap files, .meshdeploy/.
An invalid config is reported and the last good one stays deployed (invalid at start: watch waits
for a fix); a failed build or deploy is
retried on the next change. Edits made while a cycle runs start exactly one more cycle.
Ctrl-C lets writes in flight finish (at most 10 s), closes the room connections and exits 130.
  -f, --file FILE      the config (default .meshdeploy.yaml in the current directory)
  --local              target the embedded local room (state in .meshdeploy/local/ beside FILE)
  --api-url URL        target this MeshAgent API (default MESHAGENT_API_URL or https://api.meshagent.com;
                       credentials from MESHAGENT_API_KEY or MESHAGENT_TOKEN)
  --debounce MS        quiet period before a cycle starts (default 300, at least 50)
  --prune              delete services this owner manages that FILE no longer declares
                       (off in watch unless given, whatever the config's \`prune:\` says)
  --concurrency N      services built and written in parallel (default 4)
  --no-wait            do not wait for written services to run
  --wait-timeout S     give up waiting after S seconds (default 300); a crash loop fails at once`,
  "local serve": `Usage: meshdeploy local serve [--port N] [--data DIR] [--token T] [--project ID]
                              [--project-key KEY] [--registry HOST] [--room NAME ...]
                              [--platform 0.39.9|0.50.1] [--faults SPEC]

Run the embedded MeshAgent-compatible room on 127.0.0.1 until Ctrl-C.
  --port N          default 8787
  --data DIR        state directory (default .meshdeploy/local); the token is written to DIR/token
  --token T         bearer token to require (default: DIR/token if present, else a new random one)
  --project ID      project id (default local)
  --project-key KEY project key used by tag shorthand (default local)
  --registry HOST   project registry host (default registry.meshagent.com)
  --room NAME       create this room at start (repeatable)
  --faults SPEC     inject faults into REST requests and room RPCs (or MESHDEPLOY_LOCAL_FAULTS):
                    5xx=RATE,429=RATE,drop=RATE,latency=MIN-MAXms,after=SHARE,retry-after=S,
                    scope=all|rest|rpc,seed=N — e.g. "5xx=0.1,429=0.05,latency=20-80ms,drop=0.05,seed=42"`,
};
