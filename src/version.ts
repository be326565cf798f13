// The version meshdeploy reports (`--version`, saved plans). Kept equal to package.json's "version"
// (a test checks it).
export const MESHDEPLOY_VERSION = "0.1.0";
