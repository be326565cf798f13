// A built-in interpolation variable (GIT_SHA…): its value, or why it has none here. Shared by the
// config reader (which interpolates) and the git adapter (which supplies the values).
export type BuiltinValue = { value: string } | { unavailable: string };
