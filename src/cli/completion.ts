// `meshdeploy completion bash|zsh|fish`: shell completion scripts for the commands and each
// command's flags. Both come from the help texts (cli/help.ts), so a command or flag documented
// there completes without a second list to keep in step. Pure: returns the script.
import { commandHelp, overview } from "./help.js";

export const SHELLS = ["bash", "zsh", "fish"] as const;
export type Shell = (typeof SHELLS)[number];

/** The commands of the overview with their one-line descriptions (`local serve` → `local`). */
export function commandList(): { name: string; summary: string }[] {
  const section = /\nCommands:\n([\s\S]*?)\n\n/.exec(overview)?.[1] ?? "";
  return section.split("\n").flatMap((line) => {
    const m = /^ {2}(\S+(?: serve)?)\s{2,}(.*)$/.exec(line);
    return m ? [{ name: m[1]!.split(" ")[0]!, summary: m[2]! }] : [];
  });
}

/** The commands the overview's "Target (…)" section applies to, and that section. */
function targetSection(): { commands: string[]; text: string } {
  const m = /\nTarget \(([^)]*)\):\n([\s\S]*?)\n\n/.exec(overview);
  return m ? { commands: m[1]!.split(",").map((c) => c.trim()), text: m[2]! } : { commands: [], text: "" };
}

/** The flags a command's help mentions (plus the overview's target flags), long and short, sorted; `--no-wait` style negations included. */
export function flagsOf(command: string): string[] {
  const target = targetSection();
  const help = (commandHelp[command === "local" ? "local serve" : command] ?? "") + (target.commands.includes(command) ? `\n${target.text}` : "");
  const flags = new Set<string>(["--help"]);
  for (const m of help.matchAll(/(?<![\w`-])(--[a-z][a-z0-9-]*|-[a-zA-Z])(?=[\s,=|\]])/g)) flags.add(m[1]!);
  return [...flags].sort();
}

const quote = (text: string): string => `'${text.replaceAll("'", `'\\''`)}'`;

export function completionScript(shell: Shell): string {
  const commands = commandList();
  const names = commands.map((c) => c.name);
  if (shell === "bash") {
    const cases = names.map((name) => `    ${name}) opts=${quote(flagsOf(name).join(" "))} ;;`).join("\n");
    return `# meshdeploy bash completion. Load it with: source <(meshdeploy completion bash)
_meshdeploy() {
  local cur=\${COMP_WORDS[COMP_CWORD]} opts=""
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W ${quote(names.join(" "))} -- "$cur"))
    return
  fi
  if [ "\${COMP_WORDS[1]}" = local ] && [ "$COMP_CWORD" -eq 2 ]; then
    COMPREPLY=($(compgen -W "serve" -- "$cur"))
    return
  fi
  if [ "\${COMP_WORDS[1]}" = completion ] && [ "$COMP_CWORD" -eq 2 ]; then
    COMPREPLY=($(compgen -W ${quote(SHELLS.join(" "))} -- "$cur"))
    return
  fi
  case "\${COMP_WORDS[1]}" in
${cases}
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
  else
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
}
complete -o default -F _meshdeploy meshdeploy
`;
  }
  if (shell === "zsh") {
    const described = commands.map((c) => quote(`${c.name}:${c.summary.replaceAll(":", "\\:")}`)).join(" ");
    const cases = names.map((name) => `    ${name}) opts=(${flagsOf(name).join(" ")}) ;;`).join("\n");
    return `#compdef meshdeploy
# meshdeploy zsh completion. Load it with: source <(meshdeploy completion zsh)
# (or save it as _meshdeploy in a directory on $fpath).
_meshdeploy() {
  local -a commands opts
  commands=(${described})
  if (( CURRENT == 2 )); then
    _describe 'command' commands
    return
  fi
  if [[ $words[2] == local ]] && (( CURRENT == 3 )); then
    compadd serve
    return
  fi
  if [[ $words[2] == completion ]] && (( CURRENT == 3 )); then
    compadd ${SHELLS.join(" ")}
    return
  fi
  case $words[2] in
${cases}
  esac
  if [[ $PREFIX == -* ]]; then
    compadd -- $opts
  else
    _files
  fi
}
if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
  _meshdeploy "$@"
else
  compdef _meshdeploy meshdeploy
fi
`;
  }
  const lines = ["# meshdeploy fish completion. Load it with: meshdeploy completion fish | source", "complete -c meshdeploy -f"];
  for (const c of commands) lines.push(`complete -c meshdeploy -n __fish_use_subcommand -a ${c.name} -d ${quote(c.summary)}`);
  lines.push("complete -c meshdeploy -n '__fish_seen_subcommand_from local' -a serve");
  lines.push(`complete -c meshdeploy -n '__fish_seen_subcommand_from completion' -a ${quote(SHELLS.join(" "))}`);
  for (const name of names) {
    for (const flag of flagsOf(name)) {
      const option = flag.startsWith("--") ? `-l ${flag.slice(2)}` : `-s ${flag.slice(1)}`;
      lines.push(`complete -c meshdeploy -n '__fish_seen_subcommand_from ${name}' ${option}`);
    }
    lines.push(`complete -c meshdeploy -n '__fish_seen_subcommand_from ${name}' -F`);
  }
  return lines.join("\n") + "\n";
}
