// The next step for each error the yaml package reports. Its messages say what the parser met, not
// what to change, so each gets a hint: first by message (one code covers several mistakes; where the
// fix depends on where a `{`, `[` or quote was opened, the hint names that line), else by code (a
// Record, so an upgrade that adds a code does not compile until it has a hint). Pure: reads the text
// and the parsed document, never changes them.
import { visit, type ErrorCode, type YAMLError } from "yaml";
import { offsetLocation, type YamlPosition } from "./yaml-locate.js";

interface Found {
  error: YAMLError;
  at: YamlPosition;
  text: string;
  match: RegExpExecArray;
}

type Hint = string | ((found: Found) => string);

const BLOCK_SCALAR = "a `|` or `>` block";
const PROPS_AFTER_DASH = "write the `&anchor` or `!tag` after the `- `, e.g. `- &name value`";

const BY_MESSAGE: readonly (readonly [RegExp, Hint])[] = [
  [/^Flow (map|sequence)( in block collection)? must (?:be sufficiently indented and )?end with an? [}\]]/, unclosedFlowHint],
  [/^Missing closing (["'])quote/, unclosedQuoteHint],
  [/^Sequence item without - indicator/, listItemIndentHint],
  [/^Nested mappings are not allowed in compact mappings/, compactMappingHint],
  [/^Plain value cannot start with (?:reserved|flow indicator) character (.)/, badStartHint],
  [/^Invalid escape sequence (.+)$/, badEscapeHint],
  [/^Unresolved tag: (.+)$/, ({ match }) => removeTagHint(shownTag(match[1] as string))],
  [/^(\S+) used for \w+ collection/, ({ match }) => removeTagHint(shownTag(match[1] as string))],
  [/^Flow end indicator should be more indented/, "indent the closing `}` or `]` more than the key it belongs to, or move it to the end of the line before"],
  [/^All mapping items must start at the same column/, "align this key with the other keys of its mapping (same column, spaces only), or indent it further under the key it belongs to"],
  [/^All sequence items must start at the same column/, "start every `- ` item of a list at the same column"],
  [/^A block sequence may not be used as an implicit map key/, "a mapping and a `- ` list cannot share one indentation level: start every entry here with `- ` (e.g. `- tag: web:1`), or move the list under its own key"],
  [/^Implicit map keys need to be followed by map values/, "write this line as `key: value` (with a space after the colon), or indent it further to continue the value above"],
  [/^Implicit keys/, "write each key on one line followed by `:`; a line without `: ` just before a key is read as the start of that key"],
  [/^Comments must be separated/, "put a space before `#`, or quote the value if the `#` is part of it"],
  [/^Tags and anchors must be separated/, "put a space between the `&anchor` or `!tag` and the value"],
  [/^Missing newline after block sequence props/, PROPS_AFTER_DASH],
  [/^Missing , (?:or : )?between/, "separate the items inside `{…}` or `[…]` with commas, e.g. {A: 1, B: 2}"],
  [/^Missing space after :/, "put a space after `:`, or quote the value if the colon is part of it"],
  [/^Unexpected , in/, "remove the extra `,`: the items inside `{…}` or `[…]` are separated by single commas"],
  [/^Unexpected (?:flow-map-end|flow-seq-end)|^Unexpected [}\]]/, "remove the `}` or `]`, or add the `{` or `[` it should close; quote a value that contains one"],
  [/^Block scalar header includes extra characters/, "only `-`, `+` or an indentation digit may follow `|` or `>`: start the text on the next line"],
  [/^Block scalar values in collections must be indented/, `indent the text of ${BLOCK_SCALAR} more than its key`],
  [/^Block scalar lines must not be less indented/, `indent every line of ${BLOCK_SCALAR} at least as much as its first line`],
  [/^Block scalars with more-indented leading empty lines/, `remove the spaces on the blank lines that start ${BLOCK_SCALAR}, or give its indentation after the indicator, e.g. \`|2\``],
  [/^Block collection cannot start on same line with directives-end/, "start the content on the line after `---`"],
  [/^Missing directives-end/, "remove the `%` directive lines, or follow them with a `---` line"],
  [/Maximum call stack size exceeded/, "collections nested thousands of levels deep cannot be read: a config needs only a few levels, so write this value out flat"],
];

const BY_CODE: Record<ErrorCode, string> = {
  ALIAS_PROPS: "an alias (`*name`) stands for its anchor's value and has no tag or anchor of its own: remove the `!tag` or `&anchor` in front of it",
  BAD_ALIAS: "name anchors and aliases with letters, digits, `-` or `_`, e.g. `&base` and `*base` (not empty, not ending in `:`)",
  BAD_COLLECTION_TYPE: "meshdeploy reads plain YAML: remove the tag",
  BAD_DIRECTIVE: "remove the `%` directive line: meshdeploy reads plain YAML and needs no directives",
  BAD_DQ_ESCAPE: "in double quotes `\\` starts an escape: write `\\\\` for a backslash, or use single quotes",
  BAD_INDENT: "indent with spaces: the entries of one mapping or list start at the same column, nested ones further right",
  BAD_PROP_ORDER: PROPS_AFTER_DASH,
  BAD_SCALAR_START: "quote the value",
  BLOCK_AS_IMPLICIT_KEY: "write a nested mapping or list on its own, more indented lines below its key",
  BLOCK_IN_FLOW: "inside `{…}` or `[…]` separate the items with commas and write nested values in flow style too (e.g. {A: 1, B: [x, y]}), or write the whole value in block style",
  DUPLICATE_KEY: "a YAML mapping cannot repeat a key; keep one of them",
  IMPOSSIBLE: "rewrite this line in plain YAML: `key: value`, `- item`, indented with spaces",
  KEY_OVER_1024_CHARS: "a key must be at most 1024 characters before its `:`: look for a missing line break or `:` earlier on the line",
  MISSING_CHAR: "add what is missing here: a `:` after a key, a `- ` before a list item, or the closing quote or bracket",
  MULTILINE_IMPLICIT_KEY: "write each key on one line followed by `:`",
  MULTIPLE_ANCHORS: "keep one `&anchor` on this value",
  MULTIPLE_DOCS: "keep one document per file: remove this `---` and what follows it, or move that part into its own config file",
  MULTIPLE_TAGS: "meshdeploy reads plain YAML: remove the tags",
  NON_STRING_KEY: "quote the key",
  RESOURCE_EXHAUSTION: "write the values out instead of nesting aliases this deeply",
  TAB_AS_INDENT: "indent with spaces",
  TAG_RESOLVE_FAILED: "meshdeploy reads plain YAML: remove the tag",
  UNEXPECTED_TOKEN: "remove it, or quote the value if it is part of the text",
};

/** Codes that a structural error earlier on the same line often causes. */
export const FOLLOW_ON: ReadonlySet<ErrorCode> = new Set(["BAD_INDENT", "BLOCK_AS_IMPLICIT_KEY", "MISSING_CHAR", "MULTILINE_IMPLICIT_KEY", "UNEXPECTED_TOKEN"]);

/**
 * One hint per error, index-aligned. A follow-on error (see FOLLOW_ON) after an earlier error on
 * the same line (further left, or reported before it at the same column) points back at the first
 * one: its own hint would be about the parser's confusion.
 */
export function yamlErrorHints(errors: readonly YAMLError[], at: YamlPosition, text: string): string[] {
  const located = errors.map((error) => offsetLocation(at, error.pos[0]));
  return errors.map((error, i) => {
    const here = located[i] as (typeof located)[number];
    const before = located.filter((l, j) => j !== i && l.line === here.line && (l.column < here.column || (l.column === here.column && j < i)));
    const first = before.sort((a, b) => a.column - b.column)[0];
    if (first !== undefined && FOLLOW_ON.has(error.code)) return `fix the error at ${first.line}:${first.column} first; this one most likely follows from it`;
    return yamlErrorHint(error, at, text);
  });
}

export function yamlErrorHint(error: YAMLError, at: YamlPosition, text: string): string {
  for (const [pattern, hint] of BY_MESSAGE) {
    const match = pattern.exec(error.message);
    if (match !== null) return typeof hint === "string" ? hint : hint({ error, at, text, match });
  }
  return BY_CODE[error.code];
}

/** `tag:yaml.org,2002:binary` → `!!binary`; local tags (`!secret`) stay as written. */
export function shownTag(tag: string): string {
  return tag.replace(/^tag:yaml\.org,2002:/, "!!");
}

const INSTEAD_OF_TAG: Readonly<Record<string, string>> = {
  "!!binary": "; the value is then a plain string",
  "!!set": " and write a mapping ({a: x}) or a list ([a, b]), whichever the key takes",
  "!!omap": " and write a plain mapping",
  "!!pairs": " and write a plain mapping",
  "!!timestamp": ' and quote the date, e.g. "2024-05-01"',
};

export function removeTagHint(shown: string): string {
  const instead =
    INSTEAD_OF_TAG[shown] ?? (/env|secret/i.test(shown) ? " (environment values are written ${NAME}; room secrets go under the service's `secrets:`)" : "");
  return `meshdeploy reads plain YAML: remove the \`${shown}\` tag${instead}`;
}

function unclosedFlowHint({ match, ...found }: Found): string {
  const map = match[1] === "map";
  const open = map ? "{" : "[";
  const where = openedAt(found, open);
  const indented = match[2] === undefined ? "" : " (the lines inside it must be indented more than its key)";
  const block = map ? "write the mapping in block style, one `key: value` per line" : "write the list in block style, one `- item` per line";
  return `close the \`${open}\`${where} with \`${map ? "}" : "]"}\`${indented}, or ${block}`;
}

function unclosedQuoteHint({ match, ...found }: Found): string {
  const quote = match[1] as string;
  return `close the \`${quote}\`${openedAt(found, quote)}: a quoted value may span lines, so the lines after it were read as part of it`;
}

/** " opened at line L, column C" for the node that starts with `char` and ends where the error is. */
function openedAt({ error, at, text }: Omit<Found, "match">, char: string): string {
  let start: number | null = null;
  visit(at.doc, {
    Node(_, node) {
      const range = node.range;
      if (range && range[1] === error.pos[0] && text[range[0]] === char) {
        start = range[0];
        return visit.BREAK;
      }
      return undefined;
    },
  });
  if (start === null) return "";
  const { line, column } = offsetLocation(at, start);
  return ` opened at line ${line}, column ${column}`;
}

/** A key between a list item's `- ` and its other keys: name the column that continues the item. */
function listItemIndentHint({ error, at, text }: Found): string {
  const lines = text.split(/\r?\n/);
  const { line } = offsetLocation(at, error.pos[0]);
  const indent = indentOf(lines[line - 1] ?? "");
  for (let i = line - 2; i >= 0; i--) {
    const above = lines[i] as string;
    if (/^\s*(#|$)/.test(above) || indentOf(above) >= indent) continue;
    const item = /^( *)(- +)\S/.exec(above);
    if (item === null) break;
    const column = (item[1] as string).length + (item[2] as string).length + 1;
    return `indent this line to column ${column} to continue the list item at line ${i + 1}, or start a new item with \`- \``;
  }
  return "start each list item with `- `, and indent the keys of an item to the column after its `- `";
}

/** `A: b: c` (a colon in a plain value) or a more-indented line after `key: value`. */
function compactMappingHint({ error, at, text }: Found): string {
  const { line, column } = offsetLocation(at, error.pos[0]);
  const lineText = text.split(/\r?\n/)[line - 1] ?? "";
  const value = withoutComment(lineText.slice(column - 1));
  if (!/:(\s|$)/.test(value)) {
    return "the line below is indented more than this line's key, which makes it part of this value: indent it like this key";
  }
  const key = lineText.slice(0, column - 1).trim();
  const quoted = quoteExample(value);
  const example = quoted === null ? "quote the value" : `quote the value, e.g. \`${key} ${quoted}\``;
  return `${example}, if its \`: \` is part of the text; a nested mapping goes on its own, more indented lines`;
}

function badStartHint({ error, at, text, match }: Found): string {
  const { line, column } = offsetLocation(at, error.pos[0]);
  const rest = (text.split(/\r?\n/)[line - 1] ?? "").slice(column - 1);
  const value = rest.split(/:(?:\s|$)|[,\]}]|\s#/)[0]?.trimEnd() ?? "";
  const quoted = value === "" ? null : quoteExample(value);
  const char = match[1] === "`" ? "a backtick" : `\`${match[1]}\``;
  return `a plain value cannot start with ${char}: quote it${quoted === null ? "" : `, e.g. ${quoted}`}`;
}

function badEscapeHint({ match }: Found): string {
  const escape = match[1] as string;
  return `in double quotes \`\\\` starts an escape such as \`\\n\`: write \`\\${escape}\` for a literal \`${escape}\`, or use single quotes, where \`\\\` is an ordinary character`;
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

function withoutComment(text: string): string {
  return text.replace(/\s+#.*$/, "").trimEnd();
}

function quoteExample(value: string): string | null {
  if (!value.includes('"') && !value.includes("\\")) return `"${value}"`;
  if (!value.includes("'")) return `'${value}'`;
  return null;
}
