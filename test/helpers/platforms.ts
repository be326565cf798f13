// The version matrix: a suite written once runs against each generation the local room speaks.
// What differs per generation — how a secret is made and referenced, where a volume comes from — is
// asked of `secretGrant`, so the suites themselves stay generation-neutral.
import { describe } from "node:test";
import { PLATFORM_VERSIONS, type PlatformVersion } from "../../src/local/platform.js";
import type { Harness } from "./local-room.js";
import { serviceAccountWithSecret } from "./local-room.js";

export { PLATFORM_VERSIONS, type PlatformVersion };

/** `describe(title + " (MeshAgent X)")` once per local-room generation; `body` gets the generation. */
export function forEachPlatform(title: string, body: (platform: PlatformVersion) => void, options: { timeout?: number } = {}): void {
  for (const platform of PLATFORM_VERSIONS) describe(`${title} (MeshAgent ${platform})`, options, () => body(platform));
}

/** A secret a service can reference, made the way its generation makes them. */
export interface SecretGrant {
  /** The id to put under `secrets:`. */
  id: string;
  /** The YAML lines (already indented by `indent`) a service declaring the secret needs besides it: `runAs` from 0.45. */
  serviceLines(indent: string): string;
}

/**
 * 0.39.9: a room secret `id` for identity `service` (the room secrets REST). 0.50.1: a service
 * account named `service` with a secret named `id`; the id is the one the server assigns.
 */
export async function secretGrant(harness: Harness, platform: PlatformVersion, room: string, id: string, service: string): Promise<SecretGrant> {
  if (platform === "0.39.9") {
    await harness.createSecret(room, id, service);
    return { id, serviceLines: () => "" };
  }
  const { email, secretId } = await serviceAccountWithSecret(harness.room.url, service, id);
  return { id: secretId, serviceLines: (indent) => `${indent}runAs: {email: ${email}}\n` };
}

