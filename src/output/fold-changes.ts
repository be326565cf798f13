// The human plan's change lines without meshdeploy's bookkeeping in the way: its own annotations
// (owner, spec-hash, declared, …) and a route whose port stays (only its ownership annotations
// change) fold into one summary line, and a port annotation that repeats the service's (the
// CLI writes the validation method on both) is named on the service's line instead of again.
// Display only: the plan and its JSON keep every change; `--verbose` shows them all. Pure.
import { PROTECT } from "../model/annotations.js";
import type { Change } from "../plan/types.js";

const OWN = /^metadata\.annotations\.meshdeploy\.(.+)$/;
const ROUTE = /^route\[(.+)\]$/;
const PORT_ANNOTATION = /^(ports\[[^\]]+\])\.annotations\.(.+)$/;

export interface FoldedChanges {
  /** The changes to show as lines, each with what it also stands for (e.g. `same on ports[8080]`). */
  shown: { change: Change; also: string[] }[];
  /** What the folded bookkeeping changes were (`owner`, `route api.example.com annotations`); empty when none. */
  bookkeeping: string[];
  /** The folded changes are all additions (a `+` line), else `~`. */
  added: boolean;
}

export function foldChanges(changes: readonly Change[]): FoldedChanges {
  const bookkeeping: string[] = [];
  let added = true;
  const kept: Change[] = [];
  for (const change of changes) {
    const own = OWN.exec(change.path);
    const route = ROUTE.exec(change.path);
    // `protect` is written by the config's `protect:`: a setting, shown as a field.
    if (own && `meshdeploy.${own[1]}` !== PROTECT) bookkeeping.push(own[1]!);
    else if (route && change.before !== null && change.before === change.after) bookkeeping.push(`route ${route[1]} annotations`);
    else {
      kept.push(change);
      continue;
    }
    if (change.before !== null) added = false;
  }
  const shown = kept.map((change) => ({ change, also: [] as string[] }));
  const byPath = new Map(shown.map((entry) => [entry.change.path, entry]));
  const out = shown.filter((entry) => {
    const port = PORT_ANNOTATION.exec(entry.change.path);
    const service = port ? byPath.get(`metadata.annotations.${port[2]}`) : undefined;
    if (!port || service === undefined || service.change.before !== entry.change.before || service.change.after !== entry.change.after) return true;
    service.also.push(port[1]!);
    return false;
  });
  return { shown: out, bookkeeping, added };
}
