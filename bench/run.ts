// `npm run bench`: every benchmark in bench/, one after the other. Prints numbers and ratios.
import { main as contextHash } from "./context-hash.js";
import { main as noopReconcile } from "./noop-reconcile.js";

await noopReconcile();
console.log("");
await contextHash();
