import type { Command } from 'commander';

function words(command: Command): string {
  return [...command.commands.map((sub) => sub.name()), ...command.options.map((option) => option.long ?? ''), '--help']
    .filter(Boolean)
    .join(' ');
}

/**
 * A bash completion script made from the program itself, so it never falls behind: command names,
 * then each command's subcommands and options.
 */
export function bashCompletion(program: Command): string {
  const cases = program.commands
    .map((command) => {
      const nested = command.commands.map((sub) => `      "${command.name()} ${sub.name()}") words="${words(sub)}" ;;`).join('\n');
      return `${nested ? `${nested}\n` : ''}      "${command.name()}"|"${command.name()} "*) words="${words(command)}" ;;`;
    })
    .join('\n');
  return `# kv bash completion: eval "$(kv completion bash)"
_kv_complete() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" path="" word words i
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    [[ "$word" == -* ]] || path="\${path:+$path }$word"
  done
  case "$path" in
      "") words="${words(program)}" ;;
${cases}
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -o default -F _kv_complete kv
`;
}
