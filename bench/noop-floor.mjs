// The floor of a no-op plan (bench/noop-plan.ts): the least I/O and parsing any no-op plan of
// CONFIG must do — read the config, parse its YAML (the `yaml` package meshdeploy uses), one
// GET …/rooms/ROOM/services per room it names (node:http, all at once) and JSON.parse of each
// answer. Nothing else: no schema, no comparison. Plain JS so that no TypeScript loader is paid.
// Usage: node bench/noop-floor.mjs CONFIG API_URL TOKEN PROJECT
import { readFileSync } from "node:fs";
import http from "node:http";
import { parse } from "yaml";

const [file, apiUrl, token, project] = process.argv.slice(2);
const config = parse(readFileSync(file, "utf8"));
const rooms = new Set((config.services ?? []).map((s) => s.room ?? config.room));

function list(room) {
  return new Promise((resolve, reject) => {
    const url = new URL(`/accounts/projects/${project}/rooms/${room}/services`, apiUrl);
    const request = http.get(url, { headers: { authorization: `Bearer ${token}` } }, (response) => {
      const chunks = [];
      response.on("data", (chunk) => chunks.push(chunk));
      response.on("end", () => {
        if (response.statusCode !== 200) reject(new Error(`GET ${url.pathname}: ${response.statusCode}`));
        else resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")).services.length);
      });
      response.on("error", reject);
    });
    request.on("error", reject);
  });
}

const counts = await Promise.all([...rooms].map(list));
process.stdout.write(`${counts.reduce((a, b) => a + b, 0)} live services in ${rooms.size} rooms\n`);
