// Help texts: one per command, and the overview. Plain strings, no logic.

export const overview = `meshdeploy — declarative deploys for MeshAgent room services

Usage: meshdeploy <command> [options]

Commands:
  validate     Check .meshdeploy.yaml (syntax, schema, rules); no network
  plan         Show what apply would create, update and delete, field by field
  apply        Reconcile the rooms with the config
  watch        Reconcile on every save: rebuild and redeploy only what changed
  sync         Follow a git branch (GitOps): reconcile every new commit, correct drift
  status       Health, image and sync state of every declared service (exit 1 when one is not live)
  logs         A service's container logs through the room (-f follows)
  init         Write a starting .meshdeploy.yaml from a build context (or a room: --from-room)
  import       Write the .meshdeploy.yaml that declares a room's live services
  destroy      Delete every service this owner manages, in every room, and their routes
  secret       Set, list and delete the secrets a config refers to (secret set|list|delete)
  local serve  Run the embedded MeshAgent-compatible local room
  schema       Print the JSON Schema of .meshdeploy.yaml (for editors)
  completion   Print a shell completion script (bash, zsh or fish)
  version      Print meshdeploy's version (also -v, --version)

Target (plan, apply, watch, sync, status, logs):
  --local            Use the embedded local room (state in .meshdeploy/local/ beside the config file)
  --api-url URL      MeshAgent API (default: MESHAGENT_API_URL or https://api.meshagent.com)
  --platform VERSION The MeshAgent version to speak (e.g. 0.50.1, 0.39.9) instead of the one the
                     server reports in GET /config (also \`platform:\` in the config)
  -e, --environment NAME  Which of the config's \`environments:\` (also MESHDEPLOY_ENVIRONMENT);
                     required when it declares any (also on validate, destroy, secret)
  --faults SPEC      With --local: inject faults into the local room, e.g.
                     "5xx=0.1,429=0.05,latency=20-80ms,drop=0.05,seed=42" (or MESHDEPLOY_LOCAL_FAULTS)
  Credentials come from MESHAGENT_API_KEY or MESHAGENT_TOKEN; the project from the config's
  \`project:\`, MESHAGENT_PROJECT_ID or the API key.

Exit codes: 0 success / no changes, 1 error, 2 changes present (plan --detailed-exitcode), 130 interrupted.
Run \`meshdeploy <command> --help\` for a command's options.`;

/** Targeting (model/targets.ts), shared by plan, apply, watch and status. */
/** `-e`: every command that reads FILE. */
const ENVIRONMENT = `  -e, --environment NAME  which of FILE's \`environments:\` (also MESHDEPLOY_ENVIRONMENT); required
                       when FILE declares any, refused when it declares none`;

/** Where FILE is and which room serves it: plan, apply, watch. */
const TARGET = `  -f, --file FILE      the config (default .meshdeploy.yaml in the current directory)
  --local              target the embedded local room (state in .meshdeploy/local/ beside FILE)
  --api-url URL        target this MeshAgent API (default MESHAGENT_API_URL or https://api.meshagent.com;
                       credentials from MESHAGENT_API_KEY or MESHAGENT_TOKEN)
${ENVIRONMENT}`;

const TARGETING = `  --service NAME       act on this service only (repeatable): its name (as in \`status\`) or its
                       tag's repository (\`web\` for \`tag: web:1\`); in every room it is declared in
  --room NAME          act on the services of this room only (repeatable); with --service: both
  --exclude NAME       leave this service out (repeatable; services only, not rooms)
                       Targeting is for exceptions, not for routine use: only the targeted rooms
                       are read, prune is off (--prune is refused) and orphans are not listed. A
                       name that matches nothing in FILE is an error (did you mean …).`;

export const commandHelp: Record<string, string> = {
  schema: `Usage: meshdeploy schema

Print the JSON Schema of .meshdeploy.yaml (draft 2020-12), the file the installed package ships as
schemas/meshdeploy.schema.json. Its \`$id\` is stable; every property has a description (hover help).
In a project that installed meshdeploy, point the editor at the installed copy:
  # yaml-language-server: $schema=./node_modules/meshdeploy/schemas/meshdeploy.schema.json`,
  completion: `Usage: meshdeploy completion bash|zsh|fish

Print a completion script for commands and their flags.
  bash   source <(meshdeploy completion bash)        (e.g. in ~/.bashrc)
  zsh    source <(meshdeploy completion zsh)         (or save as _meshdeploy on $fpath)
  fish   meshdeploy completion fish | source         (or save in ~/.config/fish/completions/)`,
  version: `Usage: meshdeploy version  (also -v, -V, --version)

Print meshdeploy's version.`,
  validate: `Usage: meshdeploy validate [-f | --file FILE] [-e NAME] [--platform VERSION] [--local] [--output human|json]

Parse FILE (default .meshdeploy.yaml), check it against schemas/meshdeploy.schema.json and
meshdeploy's rules, and read every build: context the way plan would (Dockerfile, VOLUME
mounts, files the room cannot take). Makes no network request. Every error names file:line:col.
  --platform VERSION  also check the rules of that MeshAgent version (e.g. 0.50.1, 0.39.9), which
                      plan runs once the server has said its version; \`platform:\` in FILE does the same
  --local             also check build: tags against the embedded local room's registry and project key
  -e, --environment NAME  only that environment (default: every environment FILE declares, each
                      checked as -e NAME would be; also MESHDEPLOY_ENVIRONMENT)
  --output json       the result or the diagnostics as one JSON document (docs/json-output.md)`,
  plan: `Usage: meshdeploy plan [-f FILE] [-e NAME] [--local | --api-url URL] [--detailed-exitcode]
                       [--output human|json|markdown] [--out PLAN.json] [--prune] [--verbose]
                       [--adopt-from OWNER] [--no-secret-check] [--no-rebuild-on-adopt]
                       [--require-clean] [--timeout SECONDS] [--health]
                       [--service NAME] [--room NAME] [--exclude NAME]

List each room's services once, compare with FILE and print what apply would do. The plan reads
specs only; --health also reads every declared service's state (one starting gets 15 s) and
exits 1 when one is not live (crash loop, exited, missing, still starting). Every secret a
service to be written refers to is looked up (one listing per room identity, or per service
account); a missing one is a problem naming the \`meshdeploy secret set …\` that creates it.
${TARGET}
  --detailed-exitcode   exit 2 when there are changes, 0 when none, 1 on error
  --output FORMAT       human (default), json (versioned, see docs/plan-json.md; a config error is
                        a diagnostics document, docs/json-output.md) or markdown
                        (a table per room, field diffs in collapsible blocks)
  --out PLAN.json       save the plan; \`meshdeploy apply PLAN.json\` applies exactly it, and refuses
                        when the config or a live service it touches changed since
  --prune               include deletes of services this owner manages that FILE no longer declares
                        (in every room of the project, not only the rooms FILE names)
  --max-deletes N       warn when apply would refuse the plan for more than N deletes (default 10)
  --adopt-from OWNER    take over the services of an earlier owner (repeatable; also
                        \`previousOwners:\` in FILE): updated to this owner, not a conflict
  --verbose             also list services that are up to date, and each bookkeeping change
  --require-clean       refuse when FILE's git work tree has uncommitted changes (lists them)
  --no-secret-check     do not look the referenced secrets up (apply still checks them before writing)
  --no-rebuild-on-adopt adopting a \`build:\` service meshdeploy did not build (no build record) keeps
                        its running image when the tag matches, instead of rebuilding and restarting it
  --timeout SECONDS     a deadline for the whole run: a platform request or room call still
                        unanswered then fails, naming itself (each REST request also has its own
                        120 s deadline)
${TARGETING}
                        A saved plan (--out) records its targets.
\`\${VAR}\`, \`\${VAR:-default}\`, \`\${VAR:?message}\` in FILE come from the environment (GIT_SHA,
GIT_SHORT_SHA, GIT_BRANCH, GIT_BRANCH_SLUG from git unless set there; a dirty tree's shas end in -dirty). With GITHUB_STEP_SUMMARY set, the Markdown plan is appended there.`,
  apply: `Usage: meshdeploy apply [-f FILE | PLAN.json] [-e NAME] [--local | --api-url URL] [--prune] [--yes]
                        [--adopt-from OWNER] [--max-deletes N] [--concurrency N] [--no-wait]
                        [--wait-timeout SECONDS] [--require-clean] [--timeout SECONDS]
                        [--output human|json] [--service NAME] [--room NAME] [--exclude NAME]

With PLAN.json (from \`plan --out\`): re-list the rooms and apply exactly that plan without asking,
or refuse (exit 1, nothing changed) when the target, the config, a live service it touches or a
build context moved since it was made. A plan made with --service/--room/--exclude applies under
those targets; other targets given with PLAN.json are refused.

Plan, then build, create, update and delete services so the rooms match FILE. Every secret a
written service refers to must exist first. Updated services are restarted through the room.
Health is part of converged: every declared service the run did not wait for (unchanged ones
too, even when nothing changed) is read once per room; one that is not live (crash loop, exited,
missing, still starting after the wait) is reported with its state, restarts, exit code and last
log lines, and the run exits 1. Disabled services (enabled: false) are reported as disabled.
${TARGET}
                       (with PLAN.json: the recorded one; naming another is refused)
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
  --no-secret-check    skip the plan-time secret look-up; the check before writing still runs
  --no-rebuild-on-adopt  keep the running image of an adopted \`build:\` service whose tag matches
  --timeout S          a deadline for the run's platform requests and room calls: past it, the one
                       in flight fails naming itself and no new one starts (each REST request also
                       has its own 120 s deadline; the health wait is --wait-timeout)
  --output json        what was done per service (ids, errors) as one JSON document on stdout,
                       progress on stderr; needs --yes (docs/json-output.md)
${TARGETING}`,
  sync: `Usage: meshdeploy sync --repo URL [--ref BRANCH] [--path FILE] [-e NAME] [--interval SECONDS] [--once]
                       [--local | --api-url URL] [--prune] [--concurrency N] [--no-wait]
                       [--wait-timeout SECONDS] [--log-format text|json] [--listen HOST:PORT] [--suspend]

Follow a branch like Flux or Argo CD: keep a clone in .meshdeploy/sync/, fetch every interval,
reconcile when the commit changes, and re-plan every interval to correct out-of-band edits.
A commit whose config is invalid is reported and skipped; the last good state stays deployed.
Failed fetches and applies back off (5 s, doubling, at most 5 min) and retry. Each cycle prints
\`commit <sha> <subject>: <what it did>\`. Ctrl-C lets writes in flight finish and exits 130.
  --repo URL           git URL (https, ssh or file://); credentials in it are never printed
  --ref BRANCH         branch or tag to follow (default: the remote's default branch)
  --path FILE          the config inside the repository (default .meshdeploy.yaml)
  -e, --environment NAME  which of the config's \`environments:\` (also MESHDEPLOY_ENVIRONMENT); required
                       when it declares any, refused when it declares none
  --interval SECONDS   time between cycles (default 60)
  --once               run one cycle and exit (1 when it failed or skipped its commit)
  --prune              delete services this owner manages that the config no longer declares
  --local              target the embedded local room (state in .meshdeploy/local/ in the current directory)
  --api-url URL        target this MeshAgent API (default MESHAGENT_API_URL; credentials from
                       MESHAGENT_API_KEY or MESHAGENT_TOKEN)
  --concurrency N      services built and written in parallel (default 4)
  --no-wait            do not wait for written services to run
  --wait-timeout S     give up waiting after S seconds (default 300); a crash loop fails at once
  --adopt-from OWNER   take over the services of an earlier owner (repeatable)
  --max-deletes N      skip a commit whose plan has more than N deletes (default 10)
  --log-format F       text (default; an ISO-8601 time on every line) or json (one object per event)
  --heartbeat S        log an unchanged state again only every S seconds (default 3600)
  --listen HOST:PORT   serve /healthz, /readyz, /metrics (Prometheus) and POST /hooks/github (a
                       GitHub push webhook verified with MESHDEPLOY_WEBHOOK_SECRET); SIGHUP also
                       reconciles at once
  --suspend            plan and report drift every interval, apply nothing
  --suspend-file PATH  the same while PATH exists (touch to pause, rm to resume)
  --no-self-heal       report out-of-band edits of the deployed commit, do not correct them
                       (new commits still apply)
  --notify URL         POST each logged cycle as JSON to URL (repeatable)
  --github-status      set a commit status (context meshdeploy/sync) on each commit; token from
                       GITHUB_TOKEN; --github-repo OWNER/REPO (default: from --repo),
                       --github-api-url URL (default GITHUB_API_URL or https://api.github.com)
  A failed notification is logged and never fails a cycle.
Without \`owner:\` the owner comes from the repository URL and --path (not --ref), so it is the
one a developer checkout of the same repository gets. An ownership conflict is reported as one.
See docs/git-and-ci.md ("Running sync as a service").`,
  watch: `Usage: meshdeploy watch [-f FILE] [-e NAME] [--local | --api-url URL] [--debounce MS] [--prune]
                        [--concurrency N] [--no-wait] [--wait-timeout SECONDS] [--logs]
                        [--service NAME] [--room NAME] [--exclude NAME]
                        [--verbose] [--require-clean]

Reconcile once, then follow FILE and every service's build context and reconcile again after
each change, like \`apply --yes\`: only services whose config or context changed are rebuilt and
redeployed. Each cycle names the files that triggered it. Not followed: .git, paths the context's
.dockerignore excludes (the rules packing uses), editor temp and swap files, .meshdeploy/.
An invalid config is reported and the last good one stays deployed (invalid at start: watch waits
for a fix); a failed build or deploy is retried on the next change. Every cycle also reads the
health of every declared service (one services.list per room); one that is not live is reported
as the cycle's error. Edits made while a cycle runs start exactly one more cycle.
Ctrl-C lets writes in flight finish (at most 10 s), closes the room connections and exits 130.
${TARGET}
  --debounce MS        quiet period before a cycle starts (default 300, at least 50)
  --logs               stream the container logs of every service a cycle deploys, prefixed [name]
  --prune              delete services this owner manages that FILE no longer declares
                       (off in watch unless given, whatever the config's \`prune:\` says)
  --adopt-from OWNER   take over the services of an earlier owner (repeatable)
  --verbose            printed plans also list services that are up to date, and each bookkeeping change
  --require-clean      refuse each cycle while FILE's git work tree has uncommitted changes (lists
                       them, writes nothing): watch then deploys only what a checkout, pull or
                       reset brings in
  --max-deletes N      refuse a cycle whose plan has more than N deletes (default 10)
  --concurrency N      services built and written in parallel (default 4)
  --no-wait            do not wait for written services to run
  --wait-timeout S     give up waiting after S seconds (default 300); a crash loop fails at once
  --timeout S          a deadline for the run's platform requests and room calls: past it, the one
                       in flight fails naming itself and no new one starts (each REST request also
                       has its own 120 s deadline; the health wait is --wait-timeout)
${TARGETING}
                       Only the targeted services' build contexts are followed and built.`,
  status: `Usage: meshdeploy status [-f FILE] [-e NAME] [--local | --api-url URL] [--output human|json]
                         [--service NAME] [--room NAME] [--exclude NAME]

Per declared service: room, name, health (healthy, starting, crashloop, exited, disabled, missing),
container, restarts, last exit code, image (tag and digest), git SHA recorded, owner, and whether
the live spec matches FILE (in sync, drift, changes pending). Reads only; a service still
starting is given up to 15 s to settle.
Exit 1 when any service is not healthy (disabled is fine).
  --output FORMAT       human (default) or json (versioned, see docs/status-json.md)
${ENVIRONMENT}
${TARGETING.split("\n").slice(0, 4).join("\n")}
                       Only the targeted services' rows are shown.`,
  logs: `Usage: meshdeploy logs SERVICE [--file FILE] [-e NAME] [--room R] [-f] [--tail N] [--local | --api-url URL]

The container logs of SERVICE (its name as in \`meshdeploy status\`) through the room
(containers.logs). The room is the one FILE declares it in, else --room.
  -f, --follow          keep printing new lines until the container stops or Ctrl-C
  --tail N              only the newest N lines of what exists
  --file FILE           the config (default .meshdeploy.yaml); -f means --follow here
${ENVIRONMENT}`,
  init: `Usage: meshdeploy init [DIR] [--room ROOM] [--force]
       meshdeploy init [DIR] --from-room ROOM [--local | --api-url URL] [--force]

Write DIR/.meshdeploy.yaml (DIR default .), with the schema modeline for editors:
- from DIR's Dockerfile (or Containerfile): one service built from DIR (tag <dir name>:1), its ports
  from EXPOSE, a room storage mount for each VOLUME, in ROOM (default dev);
- with --from-room ROOM: the room's live services, exactly as \`meshdeploy import --room ROOM\`.
An existing file is replaced only with --force. What init writes passes \`meshdeploy validate\`.`,
  import: `Usage: meshdeploy import --room ROOM [--service NAME ...] [-o FILE] [--owner OWNER] [--force]
                         [--local | --api-url URL] [--platform VERSION]

Read the room's services (managed by meshdeploy or made by \`meshagent deploy\`) and print a
commented .meshdeploy.yaml that declares them (to FILE with -o; an existing FILE only with --force).
The result is checked by planning it against the same room: \`meshdeploy plan\` shows No changes, or
for services meshdeploy does not manage yet one records-only adoption write each (no rebuild, no
restart). A field the config cannot express, or that meshdeploy would still write differently
(as \`meshagent deploy\` does), is named in a comment at the service and kept as it is. Secret
references are imported; values never are. Services that cannot be declared are listed at the end.
  --service NAME    only this service (repeatable)
  --owner OWNER     the owner to write (default: the owner that manages them, else FILE's directory name)`,
  destroy: `Usage: meshdeploy destroy [-f FILE] [-e NAME] [--local | --api-url URL] [--yes] [--max-deletes N]
                          [--concurrency N]

Delete every service FILE's owner manages (annotations meshdeploy.managed-by and meshdeploy.owner),
in every room of the project, whether FILE still declares it or not, and the routes meshdeploy
created for them: the prune of an empty config, through the same delete path as \`apply --prune\`.
Services of other owners, or not made by meshdeploy, are never touched. Shows the deletes first;
asks on a terminal, and without one refuses (exit 1, nothing deleted) unless --yes is given.
The guards of prune hold: an explicit owner (not the directory-name fallback), \`protect\`ed
services kept, and the delete cap. Targeting is refused here (destroy takes no service or room
names): to remove some services, delete them from FILE and run \`meshdeploy apply --prune\`.
  --yes                do not ask
  --max-deletes N      refuse, before any delete, to delete more than N services (default 10)
  --concurrency N      services deleted in parallel (default 4)
  -e, --environment NAME  with \`environments:\`, only that environment's owner scope (\`<owner>.NAME\`)`,
  secret: `Usage: meshdeploy secret set ID [--room ROOM] (--identity NAME | --run-as EMAIL) [--from-env VAR]
       meshdeploy secret list [--room ROOM] (--identity NAME | --run-as EMAIL) [--output json]
       meshdeploy secret delete ID [--room ROOM] (--identity NAME | --run-as EMAIL)
       (each with [-f FILE] [-e NAME] [--local | --api-url URL] [--platform VERSION])

Manage the secrets \`secrets:\` refers to, the way the server's generation keeps them:
  MeshAgent 0.39   room secrets of an identity: --identity NAME (the service's \`identity:\`, else
                   its name) in --room ROOM (default: the config's room when it names one)
  MeshAgent 0.45+  secrets of a service account: --run-as EMAIL (the service's \`runAs.email\`); ID
                   is an existing secret's id or name, or the name of a new one; set prints the id
                   to put under \`secrets:\`
The value of \`set\` comes from stdin (one trailing newline dropped) or from --from-env VAR, never
from the command line, and never appears in any output. list shows ids, names and types only.
delete of a secret that does not exist says so and exits 0.`,
  "local serve": `Usage: meshdeploy local serve [--port N] [--data DIR] [--token-file FILE | --token T]
                              [--project ID] [--project-key KEY] [--registry HOST] [--room NAME ...]
                              [--platform 0.50.1|0.39.9] [--strictness lenient|strict] [--faults SPEC]

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
