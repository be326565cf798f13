// Credentials in a git remote URL (`https://x-access-token:TOKEN@host/repo.git`) never reach the
// disk or argv (audit M1): the URL git is given and stores in .git/config carries no userinfo, and
// the credential travels to each git command as an `Authorization` header in git's environment
// (GIT_CONFIG_COUNT / GIT_CONFIG_KEY_n / GIT_CONFIG_VALUE_n, git >= 2.31), scoped to the remote's
// origin, the way actions/checkout uses `http.extraheader`. The environment of a process is
// readable only by its user (/proc/PID/environ is 0400); argv is readable by every local user.
// Pure.

export interface RemoteAuth {
  /** The URL to hand git: no username, no password. */
  url: string;
  /** Extra environment for every git command that talks to the remote; empty without credentials. */
  env: Record<string, string>;
}

/**
 * Splits an http(s) URL's userinfo off into a Basic `Authorization` header (git would send the
 * same header from the URL). Other URLs (ssh, file) pass through unchanged: ssh keeps `git@`,
 * which is no secret; a password in an ssh URL is not something git uses.
 */
export function remoteAuth(url: string, ambient: Readonly<Record<string, string | undefined>> = {}): RemoteAuth {
  const trimmed = url.trim();
  let parsed: URL;
  try {
    parsed = new URL(trimmed);
  } catch {
    return { url: trimmed, env: {} };
  }
  if (!/^https?:$/i.test(parsed.protocol) || (parsed.username === "" && parsed.password === "")) return { url: trimmed, env: {} };
  const user = safeDecode(parsed.username);
  const password = safeDecode(parsed.password);
  parsed.username = "";
  parsed.password = "";
  const header = `Authorization: Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
  // Keep whatever GIT_CONFIG_* the user set; ours goes after theirs.
  const count = Number(ambient["GIT_CONFIG_COUNT"] ?? "0");
  const index = Number.isSafeInteger(count) && count > 0 ? count : 0;
  return {
    url: parsed.toString(),
    env: {
      GIT_CONFIG_COUNT: String(index + 1),
      [`GIT_CONFIG_KEY_${index}`]: `http.${parsed.protocol}//${parsed.host}/.extraHeader`,
      [`GIT_CONFIG_VALUE_${index}`]: header,
    },
  };
}

/** True when an http(s) URL carries a username or password (an old clone's stored remote). */
export function hasUserinfo(url: string): boolean {
  try {
    const parsed = new URL(url.trim());
    return /^https?:$/i.test(parsed.protocol) && (parsed.username !== "" || parsed.password !== "");
  } catch {
    return false;
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
