// The config file's size cap and the reading of its text for a code frame: small on purpose, so
// rendering an error (cli/render-error.ts) does not load the YAML parser, the schema or git.
import { readRegularFile } from "../regular-file.js";

/** Real configs are a few KB; a cap keeps a mistaken file (a log, an image) from eating memory. */
export const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

/** The text of a config file for a code frame, read with the config reader's checks (no FIFO, device or file past the cap); null when it cannot be. */
export async function readConfigSource(file: string): Promise<string | null> {
  try {
    return new TextDecoder("utf-8", { ignoreBOM: true }).decode(await readRegularFile(file, { what: "config file", maxBytes: MAX_CONFIG_BYTES }));
  } catch {
    return null;
  }
}
