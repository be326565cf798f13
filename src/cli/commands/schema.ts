// `meshdeploy schema`: print the JSON Schema of .meshdeploy.yaml exactly as the package ships it
// (schemas/meshdeploy.schema.json at the package root; dist/cli/commands/ sits at the same depth
// as src/cli/commands/). No ajv: printing the file needs no validator.
import { readFile } from "node:fs/promises";
import type { CommandContext } from "./context.js";

export const SHIPPED_SCHEMA = new URL("../../../schemas/meshdeploy.schema.json", import.meta.url);

export async function schemaCommand(ctx: CommandContext): Promise<number> {
  ctx.io.out((await readFile(SHIPPED_SCHEMA, "utf8")).trimEnd());
  return 0;
}
