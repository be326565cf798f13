// MeshAgent API keys: `ma-<keyId>-<projectId>-<secret>` where both ids are UUIDs packed as
// base64url with "-" replaced by "." (api@0.39.9 meshagent/api/keys.py `parse_api_key`,
// `base64_decompress_uuid`). Only the project id is ever read from a key.

export function projectIdFromApiKey(key: string): string | null {
  if (!key.startsWith("ma-")) return null;
  const parts = key.slice(3).split("-");
  if (parts.length < 3) return null;
  return decompressUuid(parts[1]!);
}

function decompressUuid(packed: string): string | null {
  const bytes = Buffer.from(packed.replaceAll(".", "-"), "base64url");
  if (bytes.length !== 16 || bytes.toString("base64url").replace(/=+$/, "") !== packed.replaceAll(".", "-")) return null;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The inverse, for tests and fixtures. */
export function compressUuid(uuid: string): string {
  return Buffer.from(uuid.replaceAll("-", ""), "hex").toString("base64url").replaceAll("-", ".");
}
