// The shape every benchmark hands to the suite runner: one Figure per number in BENCHMARKS.md,
// with the value of each run (the report shows the median) and the baseline it is compared with.
// Pure helpers; no I/O.

export type Comparison =
  /** Lower is better: the ratio reads "N× faster" (baseline ÷ value). */
  | "faster"
  /** Lower is better: "N× fewer" (baseline ÷ value). */
  | "fewer"
  /** Neutral or higher is better: "N× the baseline" (value ÷ baseline). */
  | "times";

export interface Figure {
  /** The benchmark's section in the report, e.g. "No-op reconcile". */
  group: string;
  /** What was measured, e.g. "N = 100: wall time of a no-op apply". */
  name: string;
  unit: string;
  /** One value per run; the report shows the median. */
  runs: number[];
  baseline?: { name: string; runs: number[] };
  comparison?: Comparison;
  /** A target or a remark, shown beside the figure. */
  note?: string;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The ratio as the report words it, e.g. "47.8× faster"; null without a baseline. */
export function ratioText(figure: Figure): string | null {
  if (figure.baseline === undefined) return null;
  const value = median(figure.runs);
  const base = median(figure.baseline.runs);
  const comparison = figure.comparison ?? "times";
  const shown = (ratio: number): string => (ratio >= 100 ? ratio.toFixed(0) : ratio >= 10 ? ratio.toFixed(1) : ratio.toFixed(2));
  if (comparison === "times") return `${shown(value / base)}× ${figure.baseline.name}`;
  // Worse than the baseline reads the other way round: "3.0× slower", not "0.33× faster".
  if (value > base) return `${shown(value / base)}× ${comparison === "faster" ? "slower" : "more"} than ${figure.baseline.name}`;
  return `${shown(base / value)}× ${comparison} than ${figure.baseline.name}`;
}

/** A number for a table: a few significant digits, thousands separated. */
export function formatValue(value: number): string {
  if (!Number.isFinite(value)) return "n/a";
  if (Number.isInteger(value)) return value.toLocaleString("en-US");
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}
