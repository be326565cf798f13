// Dockerfile COPY/ADD source patterns: `*` and `?` within one path segment, `[…]` classes, and
// `**` for any number of segments (BuildKit's extension). Compiled to a RegExp over "/"-separated
// relative paths. Pure.

export function hasGlob(pattern: string): boolean {
  return /[*?[]/.test(pattern);
}

export function globToRegExp(pattern: string): RegExp {
  const segments = pattern.split("/").filter((segment) => segment !== "");
  let source = "";
  segments.forEach((segment, index) => {
    const last = index === segments.length - 1;
    if (segment === "**") {
      // Zero or more whole segments, including the separator that follows them.
      source += last ? (index === 0 ? ".*" : "(?:/.*)?") : index === 0 ? "(?:.*/)?" : "/(?:.*/)?";
      return;
    }
    const previousWasStars = index > 0 && segments[index - 1] === "**";
    source += (index === 0 || previousWasStars ? "" : "/") + segmentSource(segment);
  });
  return new RegExp(`^${source}$`);
}

function segmentSource(segment: string): string {
  let source = "";
  for (let index = 0; index < segment.length; index += 1) {
    const char = segment[index] ?? "";
    if (char === "*") source += "[^/]*";
    else if (char === "?") source += "[^/]";
    else if (char === "\\" && index + 1 < segment.length) source += escapeRegExp(segment[++index] ?? "");
    else if (char === "[") {
      const close = segment.indexOf("]", index + 2);
      if (close === -1) {
        source += "\\[";
        continue;
      }
      let body = segment.slice(index + 1, close);
      const negated = body.startsWith("^") || body.startsWith("!");
      if (negated) body = body.slice(1);
      source += `[${negated ? "^/" : ""}${body.replace(/[\]\\]/g, "\\$&")}]`;
      index = close;
    } else source += escapeRegExp(char);
  }
  return source;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
