// Checks on the parsed YAML tree that the yaml package does not make (or words poorly): keys must
// be strings and unique, aliases must resolve, must not contain themselves and must not expand into
// a bomb, and only plain YAML types are allowed. Pure: reads the document, never changes it, and
// never expands aliases itself beyond counting nodes.
import { isAlias, isCollection, isMap, isPair, isScalar, visit, type Alias, type Document, type Node } from "yaml";
import type { Diagnostic } from "./diagnostic.js";
import { describeValue } from "./describe-value.js";
import { offsetLocation, type YamlPosition } from "./yaml-locate.js";

/** yaml's own limit for toJS(); the checks below find most breaches first, to say where they are. */
export const MAX_ALIAS_COUNT = 100;

const PLAIN_TAGS = new Set(["str", "int", "float", "bool", "null", "map", "seq"].map((t) => `tag:yaml.org,2002:${t}`));

export function checkYamlTree(at: YamlPosition): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const report = (node: Node, message: string, rule: string, hint?: string): void => {
    const location = offsetLocation(at, node.range?.[0] ?? 0);
    diagnostics.push(hint === undefined ? { message, location, rule } : { message, location, hint, rule });
  };
  const sizes = new Map<Node, number>();
  const references = new Map<Node, number>();
  let bombReported = false;

  visit(at.doc, {
    Scalar(_, scalar) {
      checkTag(scalar);
    },
    Seq(_, seq) {
      checkTag(seq);
    },
    Map(_, map) {
      checkTag(map);
      const seen = new Map<string, Node>();
      for (const pair of map.items) {
        if (!isPair(pair)) continue;
        const key = pair.key as Node | null;
        if (!isScalar(key) || typeof key.value !== "string") {
          const got = key === null ? "an empty key" : isScalar(key) ? describeValue(key.value) : isMap(key) ? "a mapping" : "a list";
          const hint = isScalar(key) && key.value !== null ? `quote it: "${String(key.source ?? key.value)}":` : undefined;
          report(key ?? map, `Expected a string key, got ${got}`, "yaml-key", hint);
          continue;
        }
        const first = seen.get(key.value);
        if (first !== undefined) {
          const line = offsetLocation(at, first.range?.[0] ?? 0).line;
          report(key, `duplicate key \`${key.value}\`: first defined at line ${line}`, "yaml-duplicate-key", "a YAML mapping cannot repeat a key; keep one of them");
        } else {
          seen.set(key.value, key);
        }
      }
    },
    Alias(_, alias, path) {
      const target = alias.resolve(at.doc) as Node | undefined;
      if (target === undefined) {
        report(alias, `unknown alias \`*${alias.source}\`: Expected an anchor \`&${alias.source}\` defined before it`, "yaml-alias");
      } else if ((path as readonly unknown[]).includes(target)) {
        report(alias, `alias \`*${alias.source}\` is inside its own anchor: recursive YAML aliases are not allowed`, "yaml-alias");
      } else if (!bombReported) {
        const uses = (references.get(target) ?? 0) + 1;
        references.set(target, uses);
        // yaml's toJS() refuses an anchor once (1 + its aliases) × (its nesting) exceeds the limit.
        const what =
          uses + 1 > MAX_ALIAS_COUNT
            ? `is alias number ${uses} of its anchor (at most ${MAX_ALIAS_COUNT - 1} are allowed)`
            : expandedSize(at.doc, target, sizes, new Set()) > MAX_ALIAS_COUNT
              ? `expands to more than ${MAX_ALIAS_COUNT} nodes`
              : null;
        if (what !== null) {
          bombReported = true;
          report(alias, `alias \`*${alias.source}\` ${what}: refusing a possible YAML alias bomb`, "yaml-alias", "write the values out, or use fewer nested aliases");
        }
      }
    },
  });
  return diagnostics;

  // Local tags (`!foo`) are already reported by yaml as unresolved; resolved non-core tags
  // (`!!binary`, `!!set`, …) would turn into Buffers or Sets that no schema can describe.
  function checkTag(node: Node): void {
    const tag = node.tag;
    if (tag === undefined || PLAIN_TAGS.has(tag) || !tag.startsWith("tag:")) return;
    const shown = tag.replace(/^tag:yaml\.org,2002:/, "!!");
    report(node, `unsupported YAML tag \`${shown}\`: Expected plain strings, numbers, booleans, lists and mappings`, "yaml-tag");
  }
}

/** Nodes in `node` with every alias expanded (memoised per node; cycles count as one node). */
function expandedSize(doc: Document.Parsed, node: Node, sizes: Map<Node, number>, active: Set<Node>): number {
  const known = sizes.get(node);
  if (known !== undefined) return known;
  if (active.has(node)) return 1;
  active.add(node);
  let size = 1;
  if (isAlias(node)) {
    const target = (node as Alias).resolve(doc) as Node | undefined;
    size = target === undefined ? 1 : expandedSize(doc, target, sizes, active);
  } else if (isCollection(node)) {
    for (const item of node.items) {
      const parts = isPair(item) ? [item.key, item.value] : [item];
      for (const part of parts) if (part) size += expandedSize(doc, part as Node, sizes, active);
    }
  }
  active.delete(node);
  sizes.set(node, size);
  return size;
}
