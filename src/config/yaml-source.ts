// Text → YAML document with positions. Tolerates a UTF-8 BOM; turns binary data, syntax errors,
// yaml's warnings, bad keys, bad aliases, an empty document and a non-mapping root into located
// diagnostics, each with a hint (yaml-hints.ts for yaml's own errors). Returns plain data plus a
// locator for later phases. Pure: never reads files and never interprets what the keys mean (that
// is schema.ts and the rules).
import { Composer, isAlias, isMap, isScalar, isSeq, Lexer, LineCounter, Parser, visit, YAMLParseError, type CST, type Document, type Node, type YAMLError } from "yaml";
import type { Diagnostic, SourceLocation } from "../diagnostic.js";
import { describeValue } from "./describe-value.js";
import { ALIAS_BOMB_HINT, checkYamlTree, MAX_ALIAS_COUNT } from "./yaml-checks.js";
import { DepthMeter, MAX_YAML_DEPTH, type TooDeep } from "./yaml-depth.js";
import { FOLLOW_ON, yamlErrorHints } from "./yaml-hints.js";
import { locatePath, nodeAt, offsetLocation, type JsonPath, type PathPart, type YamlPosition } from "./yaml-locate.js";

export type { JsonPath, PathPart } from "./yaml-locate.js";

export interface YamlSource {
  readonly file: string;
  /** The document as plain data (aliases expanded, keys all strings). */
  readonly value: Record<string, unknown>;
  /** Where `path` is written; see yaml-locate.ts. */
  locate(path: JsonPath, part?: PathPart): SourceLocation;
  /** The text a scalar was written as (`8000`, `true`, `0x1F`), or null when it is not a scalar. */
  scalarText(path: JsonPath): string | null;
  /** The scalar at `path` as it appears in the file (quotes included), or null when it is not a scalar. */
  scalarToken(path: JsonPath): ScalarToken | null;
  /** The location of a character offset in the (BOM-less) text. */
  locateOffset(offset: number): SourceLocation;
}

export interface ScalarToken {
  /** Unquoted flow scalar: its text is resolved by the YAML core schema (`8000` is a number). */
  plain: boolean;
  /** The scalar's source text, from its first to its last character. */
  raw: string;
  /** Offset of `raw` in the text. */
  offset: number;
}

export type YamlParseResult = { ok: true; source: YamlSource } | { ok: false; diagnostics: Diagnostic[] };

const EXPECTED_ROOT = "a mapping with `version: 1` and `services:`";
const MINIMAL_CONFIG = "a minimal config is `version: 1`, `room: dev` and `services: [{tag: web:1}]`, each on its own line";

export function parseYamlSource(text: string, file: string): YamlParseResult {
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  const binary = findBinary(body, file);
  if (binary !== null) return { ok: false, diagnostics: [binary] };
  const lineCounter = new LineCounter();
  const parsed = parseDepthLimited(body, lineCounter);
  if ("deep" in parsed) {
    const { deep } = parsed;
    const message = `Expected YAML nested at most ${MAX_YAML_DEPTH} levels deep, got deeper nesting here`;
    const hint = "a .meshdeploy.yaml nests about 8 levels; this looks generated or hostile: check that -f names the right file";
    return { ok: false, diagnostics: [{ message, location: { file, line: deep.line, column: deep.column }, hint, rule: "yaml-depth" }] };
  }
  const { doc } = parsed;
  const at: YamlPosition = { doc, lineCounter, file };
  const errors = [...doc.errors, ...doc.warnings];
  const hints = yamlErrorHints(errors, at, body);
  const problems = errors.map((error, i) => fromYamlError(at, error, hints[i] as string, body));
  if (doc.errors.length > 0) return { ok: false, diagnostics: withoutFollowOns(withInterpolationHint(problems, errors, body), errors) };
  problems.push(...checkYamlTree(at));
  if (problems.length > 0) return { ok: false, diagnostics: problems };

  const root = doc.contents as Node | null;
  if (root === null) {
    const location = { file, line: 1, column: 1 };
    const hint = `the file has no configuration yet: ${MINIMAL_CONFIG}`;
    return { ok: false, diagnostics: [{ message: `Expected ${EXPECTED_ROOT}, got an empty document`, location, hint, rule: "yaml-root" }] };
  }
  const resolved = isAlias(root) ? root.resolve(doc) : root;
  if (!isMap(resolved)) {
    const got = describeValue(toJs(doc));
    const location = offsetLocation(at, root.range?.[0] ?? 0);
    const hint = rootHint(resolved);
    return { ok: false, diagnostics: [{ message: `Expected ${EXPECTED_ROOT} at the top level, got ${got}`, location, hint, rule: "yaml-root" }] };
  }

  let value: Record<string, unknown>;
  try {
    value = toJs(doc) as Record<string, unknown>;
  } catch (error) {
    // yaml's alias limit also weighs nested aliases in ways checkYamlTree does not mirror exactly;
    // then the best we can point at is the first alias.
    if (!(error instanceof ReferenceError)) throw error;
    const message = `YAML aliases expand too much (yaml's limit: ${MAX_ALIAS_COUNT}): refusing a possible YAML alias bomb`;
    return { ok: false, diagnostics: [{ message, location: offsetLocation(at, firstAliasOffset(doc)), hint: ALIAS_BOMB_HINT, rule: "yaml-alias" }] };
  }
  return {
    ok: true,
    source: {
      file,
      value,
      locate: (path, part) => locatePath(at, path, part),
      scalarText: (path) => {
        const node = nodeAt(at, path) as (Node & { source?: unknown }) | null;
        return node !== null && typeof node.source === "string" ? node.source : null;
      },
      scalarToken: (path) => {
        const node = nodeAt(at, path);
        if (!isScalar(node) || !node.range) return null;
        return { plain: node.type === "PLAIN", raw: body.slice(node.range[0], node.range[1]), offset: node.range[0] };
      },
      locateOffset: (offset) => offsetLocation(at, offset),
    },
  };
}

/**
 * yaml's parseDocument (same options, same errors), lexing once: each token is measured
 * (yaml-depth.ts) before the parser sees it, and a document nested too deep stops the parse at
 * the token that went past the limit, so the parser never works on hostile nesting.
 */
function parseDepthLimited(body: string, lineCounter: LineCounter): { deep: TooDeep } | { doc: Document.Parsed } {
  const options = { lineCounter, prettyErrors: false, uniqueKeys: false };
  const meter = new DepthMeter();
  const parser = new Parser(lineCounter.addNewLine);
  let deep: TooDeep | null = null;
  function* tokens(): Generator<CST.Token> {
    lineCounter.addNewLine(0); // as Parser.parse does for a fresh parser
    for (const lexeme of new Lexer().lex(body)) {
      deep = meter.step(lexeme);
      if (deep !== null) return;
      yield* parser.next(lexeme);
    }
    yield* parser.end();
  }
  let doc: Document.Parsed | null = null;
  for (const next of new Composer(options).compose(tokens(), true, body.length)) {
    if (doc === null) doc = next;
    else {
      doc.errors.push(new YAMLParseError([next.range[0], next.range[1]], "MULTIPLE_DOCS", "Source contains multiple documents; please use YAML.parseAllDocuments()"));
      break;
    }
  }
  if (deep !== null) return { deep };
  return { doc: doc! };
}

function toJs(doc: Document.Parsed): unknown {
  return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
}

function firstAliasOffset(doc: Document.Parsed): number {
  let offset = 0;
  visit(doc, {
    Alias(_, alias) {
      offset = alias.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  return offset;
}

/** A non-mapping top level: a list of top-level keys, a list of services, or a lone value. */
function rootHint(root: Node | undefined): string {
  if (isSeq(root)) {
    const items = root.items;
    if (items.length > 0 && items.every((item) => isMap(item) && item.items.some((pair) => isScalar(pair.key) && pair.key.value === "tag"))) {
      return "a list of services goes under `services:`: indent it below a `services:` line, with `version: 1` and `room: …` above";
    }
    if (items.length > 0 && items.every((item) => isMap(item))) {
      return "remove the `- ` in front of each top-level key: the top level is one mapping (`version: 1`, `room: …`, `services: …`), not a list";
    }
    return `the top level is a mapping, not a list: ${MINIMAL_CONFIG}`;
  }
  if (isScalar(root) && root.value === null) return `write the configuration in place of \`${String(root.source ?? "~")}\`: ${MINIMAL_CONFIG}`;
  if (isScalar(root)) return `a line without \`: \` (colon and space) is read as one value: write \`key: value\` lines; ${MINIMAL_CONFIG}`;
  return MINIMAL_CONFIG;
}

/** Errors whose position yaml reports at the start of the line's indentation: the caret goes to the key. */
const AT_INDENT: ReadonlySet<string> = new Set(["BAD_INDENT"]);

function fromYamlError(at: YamlPosition, error: YAMLError, hint: string, body: string): Diagnostic {
  let offset = error.pos[0];
  if (AT_INDENT.has(error.code)) while (body[offset] === " ") offset += 1;
  const location = offsetLocation(at, offset);
  if (error.code === "MULTIPLE_DOCS") {
    return { message: "Expected a single YAML document, got several (separated by `---`)", location, hint, rule: "yaml" };
  }
  return { message: `invalid YAML: ${error.message}`, location, hint, rule: "yaml" };
}

/**
 * One indentation slip makes yaml report every later key of the block as misplaced: after the
 * first structural error (FOLLOW_ON codes), structural errors on later lines are not shown (those
 * on its own line are kept, marked by yaml-hints.ts as following from it); the first says how many
 * were left out. Errors of other kinds (a tab, a duplicate key) are kept: they stand on their own.
 */
function withoutFollowOns(problems: Diagnostic[], errors: readonly YAMLError[]): Diagnostic[] {
  const first = errors.findIndex((e) => FOLLOW_ON.has(e.code));
  if (first < 0) return problems;
  const line = problems[first]!.location.line;
  const kept = problems.filter((p, i) => i <= first || !FOLLOW_ON.has(errors[i]!.code) || p.location.line === line);
  const dropped = problems.length - kept.length;
  if (dropped === 0) return problems;
  const note = `${dropped} later syntax error${dropped === 1 ? "" : "s"} most likely follow${dropped === 1 ? "s" : ""} from this one and ${dropped === 1 ? "is" : "are"} not shown; fix it and run again`;
  return kept.map((p) => (p === problems[first] ? { ...p, hint: p.hint === undefined ? note : `${p.hint}; ${note}` } : p));
}

/**
 * `{A: ${X}}` is a YAML syntax error (`{` is a flow indicator): the first error on a line that
 * uses `${…}` inside `{…}` or `[…]` says to quote the value (unless it is about a tab, whose own
 * hint says what to do).
 */
function withInterpolationHint(problems: Diagnostic[], errors: readonly YAMLError[], body: string): Diagnostic[] {
  const lines = body.split(/\r?\n/);
  const at = problems.findIndex((p, i) => errors[i]?.code !== "TAB_AS_INDENT" && /[[{][^#]*\$\{/.test(lines[p.location.line - 1] ?? ""));
  if (at < 0) return problems;
  const hint = 'inside {…} or […] a value that uses ${…} must be quoted, e.g. {TAG: "${TAG}"}';
  return problems.map((p, i) => (i === at ? { ...p, hint } : p));
}

/** Control characters YAML does not allow (c-printable): the file is most likely not text. */
function findBinary(text: string, file: string): Diagnostic | null {
  const match = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.exec(text);
  if (match === null) return null;
  const before = text.slice(0, match.index);
  const line = before.split("\n").length;
  const column = match.index - (before.lastIndexOf("\n") + 1) + 1;
  const code = (match[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0");
  return {
    message: `Expected a YAML text file, got binary data (control character U+${code})`,
    location: { file, line, column },
    hint: "check that -f names the meshdeploy configuration file",
    rule: "yaml-binary",
  };
}
