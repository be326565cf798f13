// BENCHMARKS.md from the suite's figures: the machine, the date, then one table per benchmark
// (median of the runs, their spread, the baseline and the ratio), and the verbatim output of any
// benchmark that only prints. Pure apart from reading the machine's description.
import os from "node:os";
import { formatValue, median, ratioText, type Figure } from "./figures.js";

export interface Section {
  title: string;
  /** What the benchmark does and what its baseline is, one paragraph. */
  about: string;
  figures: Figure[];
  /** Printed lines of a benchmark that returns no figures (kept verbatim). */
  printed?: string[];
  /** Set when the benchmark failed or was not there: the report says so instead of figures. */
  missing?: string;
  seconds: number;
}

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
}

export function describeMachine(): Machine {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? "unknown CPU",
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} (${os.arch()})`,
    node: process.version,
  };
}

/** A benchmark file's leading `//` comment as Markdown: paragraphs, and " - " items as a list. */
export function headerMarkdown(name: string, source: string): string {
  const blocks: { kind: "para" | "item"; text: string }[] = [];
  for (const raw of source.split("\n")) {
    if (!raw.startsWith("//")) break;
    const line = raw.replace(/^\/\/ ?/, "");
    const last = blocks.at(-1);
    if (/^\s*- /.test(line)) blocks.push({ kind: "item", text: `- ${line.replace(/^\s*- /, "")}` });
    else if (last !== undefined && (last.kind === "para" || /^\s/.test(line))) last.text += ` ${line.trim()}`;
    else blocks.push({ kind: "para", text: line.trim() });
  }
  const text = blocks.map((block, i) => (i === 0 ? "" : block.kind === "item" && blocks[i - 1]!.kind === "item" ? "\n" : "\n\n") + block.text).join("");
  return text.replace(new RegExp(`^bench/${name}:\\s*`), "");
}

export function renderReport(sections: readonly Section[], machine: Machine, date: Date, commit: string | null): string {
  const lines = [
    "# Benchmarks",
    "",
    "Written by `npm run bench` (bench/run.ts); do not edit by hand. Each figure is the median of the",
    "runs shown beside it, and its ratio compares that median with the median of its baseline.",
    "",
    `- Date: ${date.toISOString().replace(/\.\d+Z$/, "Z")}${commit ? ` (commit ${commit})` : ""}`,
    `- Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB RAM, ${machine.os}`,
    `- Node ${machine.node}`,
    "",
  ];
  for (const section of sections) {
    lines.push(`## ${section.title}`, "", section.about, "");
    if (section.missing !== undefined) {
      lines.push(`_Not measured: ${section.missing}_`, "");
      continue;
    }
    if (section.figures.length > 0) {
      lines.push("| Figure | Median | Runs | Baseline (median) | Ratio |", "|---|---:|---|---:|---|");
      for (const figure of section.figures) {
        const runs = `${figure.runs.length}: ${figure.runs.map(formatValue).join(", ")}`;
        const baseline = figure.baseline ? `${figure.baseline.name}: ${formatValue(median(figure.baseline.runs))} ${figure.unit}` : "—";
        const note = figure.note ? ` (${figure.note})` : "";
        lines.push(`| ${figure.name}${note} | ${formatValue(median(figure.runs))} ${figure.unit} | ${runs} | ${baseline} | ${ratioText(figure) ?? "—"} |`);
      }
      lines.push("");
    }
    if (section.printed && section.printed.length > 0) lines.push("```", ...section.printed, "```", "");
    lines.push(`<sub>${section.title}: ${section.seconds.toFixed(0)} s</sub>`, "");
  }
  return lines.join("\n");
}
