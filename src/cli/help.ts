// Help texts: one per command, and the overview. Plain strings, no logic.

export const overview = `meshdeploy — declarative deploys for MeshAgent room services

Usage: meshdeploy <command> [options]

Commands:
  validate     Check .meshdeploy.yaml (syntax, schema, rules); no network
  plan         Show what apply would create, update and delete, field by field
  apply        Reconcile the rooms with the config
  local serve  Run the embedded MeshAgent-compatible local room

Target (plan, apply):
  --local            Use the embedded local room (state in .meshdeploy/local/)
  --api-url URL      MeshAgent API (default: MESHAGENT_API_URL or https://api.meshagent.com)
  Credentials come from MESHAGENT_API_KEY or MESHAGENT_TOKEN; the project from the config's
  \`project:\`, MESHAGENT_PROJECT_ID or the API key.

Exit codes: 0 success / no changes, 1 error, 2 changes present (plan --detailed-exitcode), 130 interrupted.
Run \`meshdeploy <command> --help\` for a command's options.`;

export const commandHelp: Record<string, string> = {
  validate: `Usage: meshdeploy validate [-f FILE]

Parse FILE (default .meshdeploy.yaml), check it against schemas/meshdeploy.schema.json and
meshdeploy's rules. Makes no network request. Every error names file:line:col.`,
  plan: `Usage: meshdeploy plan [-f FILE] [--local | --api-url URL] [--detailed-exitcode]
                       [--output human|json] [--prune] [--verbose]

List each room's services once, compare with FILE and print what apply would do.
  --detailed-exitcode   exit 2 when there are changes, 0 when none, 1 on error
  --output FORMAT       human (default) or json (versioned, see docs/plan-json.md)
  --prune               include deletes of services this owner manages that FILE no longer declares
  --verbose             also list services that are up to date`,
  apply: `Usage: meshdeploy apply [-f FILE] [--local | --api-url URL] [--prune] [--yes]
                        [--concurrency N] [--no-wait] [--wait-timeout SECONDS]

Plan, then build, create, update and delete services so the rooms match FILE. Every secret a
written service refers to must exist first. Updated services are restarted through the room.
  --prune              delete services this owner manages that FILE no longer declares
  --yes                do not ask for confirmation (asked only on a terminal)
  --concurrency N      services built and written in parallel (default 4)
  --no-wait            do not wait for written services to run
  --wait-timeout S     give up waiting after S seconds (default 300); a crash loop fails at once`,
  "local serve": `Usage: meshdeploy local serve [--port N] [--data DIR] [--token T] [--project ID]
                              [--project-key KEY] [--registry HOST] [--room NAME ...]

Run the embedded MeshAgent-compatible room on 127.0.0.1 until Ctrl-C.
  --port N          default 8787
  --data DIR        state directory (default .meshdeploy/local); the token is written to DIR/token
  --token T         bearer token to require (default: DIR/token if present, else a new random one)
  --project ID      project id (default local)
  --project-key KEY project key used by tag shorthand (default local)
  --registry HOST   project registry host (default registry.meshagent.com)
  --room NAME       create this room at start (repeatable)`,
};
