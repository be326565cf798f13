// "Did you mean …?" for misspelt keys and enum values: the closest candidate by Damerau-Levenshtein
// distance (optimal string alignment: insert, delete, substitute, swap two neighbours), compared
// case-insensitively. Suggests only when the input is close; never guesses from far away. Pure.

/** Edit distance where swapping two adjacent characters counts as one edit. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number): number => d[i]?.[j] ?? 0;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      (d[i] as number[])[j] = best;
    }
  }
  return at(a.length, b.length);
}

/**
 * The candidate closest to `input`, or null when none is within ceil(len/3) edits (at least 1):
 * `tgas` → `tag`, `fulll` → `full`, but `udp` suggests nothing for `tcp`. Ties go to the earlier
 * candidate, so callers control the preference by ordering.
 */
export function didYouMean(input: string, candidates: readonly string[]): string | null {
  const needle = input.toLowerCase();
  const limit = Math.max(1, Math.ceil(needle.length / 3));
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (candidate === input) continue;
    const distance = editDistance(needle, candidate.toLowerCase());
    if (distance <= limit && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * Other tools' names for a key, too far from ours for the edit distance: Compose users write
 * `environment:` (and misspell it `enviroment:`) where a service says `env:`. Only suggested
 * where the target key is allowed, so a top-level `environment:` is left to `didYouMean`.
 */
const KEY_ALIASES: Readonly<Record<string, string>> = { environment: "env", enviroment: "env", enviroments: "env" };

/** The key `input` stands for in another tool's vocabulary, when `allowed` has it; else null. */
export function keyAlias(input: string, allowed: readonly string[]): string | null {
  const target = KEY_ALIASES[input.toLowerCase()];
  return target !== undefined && allowed.includes(target) ? target : null;
}
