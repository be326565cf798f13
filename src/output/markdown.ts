// Safe pieces of GitHub-flavoured Markdown: inline code and text that survive table cells and
// `<details>` summaries whatever the value holds (pipes, backticks, HTML, newlines). Pure.

/** An inline code span usable inside a table cell. Empty or space-padded values show quoted. */
export function code(value: string): string {
  const shown = value === "" || /^\s|\s$|\p{Cc}/u.test(value) ? JSON.stringify(value) : value;
  const text = shown.replace(/\r?\n/g, " ").replace(/\|/g, "\\|");
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  const pad = text.startsWith("`") || text.endsWith("`") ? " " : "";
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** Plain text with Markdown and HTML syntax neutralised, on one line. */
export function text(value: string): string {
  return value
    .replace(/\r?\n/g, " ")
    .replace(/[\\`*_[\]#|~]/g, (c) => `\\${c}`)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;");
}

/** Text for inside HTML elements (`<summary>`, `<code>`). */
export function html(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/\r?\n/g, " ");
}

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`, ...rows.map((row) => `| ${row.join(" | ")} |`)];
}
