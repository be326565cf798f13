// A remote URL without anything secret in it, for annotations and log lines: http(s) URLs lose
// their whole userinfo (`https://x-access-token:TOKEN@host/x` and `https://TOKEN@host/x` alike),
// their query and fragment; ssh URLs keep the user (`git@…` carries no secret) and lose any
// password. Pure.

export function stripCredentials(url: string): string {
  const trimmed = url.trim();
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(trimmed)) {
    try {
      const parsed = new URL(trimmed);
      parsed.password = "";
      if (/^https?:$/i.test(parsed.protocol)) {
        parsed.username = "";
        parsed.search = "";
        parsed.hash = "";
      }
      return parsed.toString();
    } catch {
      return trimmed.replace(/^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/)[^/@]*@/, "$1");
    }
  }
  // scp-like `user[:password]@host:path`
  return trimmed.replace(/^([^@/:]+):[^@/]*@/, "$1@");
}
