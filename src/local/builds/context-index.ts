// The build context as a set of paths, for answering "does this COPY source exist, and how many
// files does it bring?". Built from tar entries below the context directory; directories that
// only appear as parents of files count as existing. Pure.
import { globToRegExp, hasGlob } from "./glob.js";
import type { TarEntry } from "./tar-reader.js";

export interface SourceMatch {
  /** Context paths the source names (one for a plain path, any number for a pattern). */
  paths: string[];
  /** Files (anything but directories) those paths bring, directories counted recursively. */
  files: number;
}

export class ContextIndex {
  /** Every non-directory path, sorted. */
  readonly files: readonly string[];
  readonly #files: Set<string>;
  readonly #dirs = new Set<string>();

  /** `contextDir` is the context's path inside the archive ("" for the archive root). */
  constructor(entries: readonly TarEntry[], contextDir: string) {
    const prefix = contextDir === "" ? "" : `${contextDir}/`;
    const files: string[] = [];
    for (const entry of entries) {
      if (entry.path !== contextDir && !entry.path.startsWith(prefix)) continue;
      const path = entry.path.slice(prefix.length);
      if (path === "") continue;
      if (entry.type === "directory") this.#dirs.add(path);
      else files.push(path);
      for (let slash = path.indexOf("/"); slash !== -1; slash = path.indexOf("/", slash + 1)) this.#dirs.add(path.slice(0, slash));
    }
    this.files = files.sort();
    this.#files = new Set(files);
  }

  /** True when nothing in the archive lies below the context directory. */
  get isEmpty(): boolean {
    return this.#files.size === 0 && this.#dirs.size === 0;
  }

  has(path: string): boolean {
    return path === "" || this.#files.has(path) || this.#dirs.has(path);
  }

  isFile(path: string): boolean {
    return this.#files.has(path);
  }

  /** `source` is already normalised and relative to the context ("" = the whole context). */
  match(source: string): SourceMatch {
    const paths = hasGlob(source) ? this.#glob(source) : this.has(source) ? [source] : [];
    const counted = new Set<string>();
    for (const path of paths) {
      if (this.#files.has(path)) counted.add(path);
      else for (const file of this.files) if (path === "" || file.startsWith(`${path}/`)) counted.add(file);
    }
    return { paths, files: counted.size };
  }

  #glob(pattern: string): string[] {
    const regexp = globToRegExp(pattern);
    return [...this.#files, ...this.#dirs].filter((path) => regexp.test(path)).sort();
  }
}
