// The starting `.meshdeploy.yaml` of `meshdeploy init DIR` from a build context: one service built
// from DIR, its ports from the Dockerfile's EXPOSE and a room mount for each VOLUME (the deploy
// refuses a VOLUME that nothing mounts). Pure: the caller reads the Dockerfile and writes the file.
import type { DockerfileMetadata } from "../build-context/dockerfile.js";
import { emitConfig } from "./emit-config.js";

export interface InitInput {
  /** The directory's name (the tag's repository and the default owner). */
  name: string;
  room: string;
  /** The Dockerfile's path relative to DIR ("Dockerfile", "Containerfile" or another). */
  dockerfile: string;
  metadata: DockerfileMetadata;
  schema: string;
}

/** A repository name the tag parser accepts: lowercase, [a-z0-9] pieces joined by `-`. */
export function repositoryName(name: string): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  return slug === "" ? "app" : slug;
}

export function initConfig(input: InitInput): string {
  const repository = repositoryName(input.name);
  const comments: string[] = [`Built inside the room from this directory (${input.dockerfile}), like \`meshagent deploy . --tag ${repository}:1\`.`];
  const entry: Record<string, unknown> = { tag: `${repository}:1`, build: input.dockerfile === "Dockerfile" || input.dockerfile === "Containerfile" ? "." : { context: ".", dockerfile: input.dockerfile } };
  if (input.metadata.exposedPorts.length > 0) {
    entry["ports"] = input.metadata.exposedPorts.map((num) => ({ num, type: "http", published: true }));
    comments.push(`ports: from EXPOSE ${input.metadata.exposedPorts.join(" ")}; set \`liveness:\` to a health path, or \`type: tcp\`.`);
  }
  if (input.metadata.volumes.length > 0) {
    entry["mounts"] = { room: input.metadata.volumes.map((path) => ({ source: folderOf(path), path })) };
    comments.push(`mounts: each VOLUME (${input.metadata.volumes.join(", ")}) must be mounted; these keep it in a room storage folder (use emptyDirs for scratch space).`);
  }
  return emitConfig({
    schema: input.schema,
    header: [
      "Written by `meshdeploy init`. Check it with `meshdeploy validate`, preview with",
      "`meshdeploy plan --local` (the embedded local room), deploy with `meshdeploy apply`.",
      "Secrets: `meshdeploy secret set ID …` stores a value; reference it under `secrets:`.",
    ],
    top: { room: input.room, owner: repository },
    services: [{ entry, comments }],
    footer: [],
  });
}

/** `/var/lib/data` → `data`: the room storage folder a VOLUME is kept in. */
function folderOf(path: string): string {
  const last = path.split("/").filter(Boolean).at(-1) ?? "data";
  return repositoryName(last);
}
