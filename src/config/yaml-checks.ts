// Checks on the parsed YAML tree that the yaml package does not make (or words poorly): keys must
// be strings and unique, aliases must resolve, must not contain themselves and must not expand into
// a bomb, and only plain YAML types are allowed. Pure: reads the document, never changes it, and
// never expands aliases itself beyond counting nodes. Every finding carries a hint.
import { isAlias, isCollection, isMap, isPair, isScalar, visit, type Alias, type Document, type Node } from "yaml";
import type { Diagnostic } from "../diagnostic.js";
import { describeValue } from "./describe-value.js";
import { didYouMean } from "./did-you-mean.js";
import { removeTagHint, shownTag } from "./yaml-hints.js";
import { offsetLocation, type YamlPosition } from "./yaml-locate.js";

/** yaml's own limit for toJS(); the checks below find most breaches first, to say where they are. */
export const MAX_ALIAS_COUNT = 100;

export const ALIAS_BOMB_HINT = "write the values out, or use fewer nested aliases";

const PLAIN_TAGS = new Set(["str", "int", "float", "bool", "null", "map", "seq"].map((t) => `tag:yaml.org,2002:${t}`));

export function checkYamlTree(at: YamlPosition): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const report = (node: Node, message: string, rule: string, hint: string): void => {
    diagnostics.push({ message, location: offsetLocation(at, node.range?.[0] ?? 0), hint, rule });
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
          report(key ?? map, `Expected a string key, got ${got}`, "yaml-key", keyHint(key));
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
        report(alias, `unknown alias \`*${alias.source}\`: Expected an anchor \`&${alias.source}\` defined before it`, "yaml-alias", unknownAliasHint(at.doc, alias.source));
      } else if ((path as readonly unknown[]).includes(target)) {
        const hint = `\`*${alias.source}\` stands for the value anchored \`&${alias.source}\`, which contains it: write this value out, or anchor a part of the file that does not include the alias`;
        report(alias, `alias \`*${alias.source}\` is inside its own anchor: recursive YAML aliases are not allowed`, "yaml-alias", hint);
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
          report(alias, `alias \`*${alias.source}\` ${what}: refusing a possible YAML alias bomb`, "yaml-alias", ALIAS_BOMB_HINT);
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
    const shown = shownTag(tag);
    report(node, `unsupported YAML tag \`${shown}\`: Expected plain strings, numbers, booleans, lists and mappings`, "yaml-tag", removeTagHint(shown));
  }
}

function keyHint(key: Node | null): string {
  const written = isScalar(key) ? String(key.source ?? "") : "";
  if (written !== "") return `quote it: "${written}":`;
  if (key === null || isScalar(key)) return "write a key before the `:`, e.g. `name: value`";
  return "write the key as a plain string (quote it if it looks like a list or mapping)";
}

/** Anchors are resolved backwards only: an anchor defined later, or a near miss, is the likely fix. */
function unknownAliasHint(doc: Document.Parsed, name: string): string {
  const anchors = new Set<string>();
  visit(doc, {
    Node(_, node) {
      if (!isAlias(node) && node.anchor) anchors.add(node.anchor);
    },
  });
  if (anchors.has(name)) return `\`&${name}\` is only defined after this alias: move the anchored value above its first use`;
  const suggestion = didYouMean(name, [...anchors]);
  if (suggestion !== null) return `did you mean \`*${suggestion}\`? (anchor \`&${suggestion}\`)`;
  return `put \`&${name}\` on a value above this line (e.g. \`base: &${name} {A: b}\`), or write the value out here`;
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
