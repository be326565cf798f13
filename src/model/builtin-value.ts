// A built-in interpolation variable (GIT_SHA…): its value, or why it has none here. Shared by the
// config reader (which interpolates) and the git adapter (which supplies the values).
export type BuiltinValue = { value: string } | { unavailable: string };

/**
 * `${CONTEXT_HASH}`: the service's build-context content hash, short. Interpolation runs before
 * any context is read, so it writes this mark (valid in a tag) and the read phase replaces it with
 * the hash of that service's context (read/read-contexts.ts): a commit that leaves a context alone
 * leaves its tag alone, so the service is neither rebuilt nor restarted.
 */
export const CONTEXT_HASH_MARK = "__meshdeploy_context_hash__";
export const CONTEXT_HASH_LENGTH = 12;
export const CONTEXT_HASH_BUILTIN: Readonly<Record<string, BuiltinValue>> = { CONTEXT_HASH: { value: CONTEXT_HASH_MARK } };
