// One shape for every configuration problem: YAML syntax, schema and semantic rules alike.
// Plain data; rendering lives in config/code-frame.ts.

export interface SourceLocation {
  file: string;
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
}

export interface Diagnostic {
  message: string;
  location: SourceLocation;
  hint?: string;
  /** The rule or check that produced it, e.g. "yaml", "schema", "duplicate-service-name". */
  rule: string;
}
