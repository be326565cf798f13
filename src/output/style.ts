// Colour, only when asked for (a TTY without NO_COLOR; see cli/io.ts). Pure.

export interface Style {
  green(text: string): string;
  yellow(text: string): string;
  red(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

const wrap = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;

export const colour: Style = { green: wrap(32, 39), yellow: wrap(33, 39), red: wrap(31, 39), dim: wrap(2, 22), bold: wrap(1, 22) };

const same = (text: string): string => text;
export const plain: Style = { green: same, yellow: same, red: same, dim: same, bold: same };

export function styleFor(useColour: boolean): Style {
  return useColour ? colour : plain;
}
