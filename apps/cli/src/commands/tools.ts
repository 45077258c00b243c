/** `kv token` and `kv completion`: commands that call no gateway. */
import { mintRequestedToken, TokenRequest } from '@app/tokens';
import { Command, Option } from 'commander';
import { bashCompletion } from '../completion';
import type { CommandContext } from '../command-context';
import { toJson } from '../output';

export function registerToolCommands(program: Command, { globals, print }: CommandContext): void {
  program
    .command('token')
    .description('mint an HS256 token (signed with --secret, KV_JWT_SECRET, or the local development key of `npm run up`)')
    .requiredOption('--sub <id>', 'subject (principal id) of the token')
    // No default: an all-powerful token must be asked for ('*'), never minted by omission.
    .requiredOption('--permissions <list>', "comma-separated grants, e.g. kv-entry:read,kv-namespace:*@<namespaceId>, or '*' for all")
    .option('--apps <list>', "comma-separated application ids, or '*' for all", '*')
    .option('--ttl <duration>', 'lifetime: 45s, 30m, 1h, 7d or seconds', '1h')
    // The environment keeps the secret out of shell history and the process list.
    .addOption(new Option('--secret <secret>', 'HS256 signing secret').env('KV_JWT_SECRET'))
    .action(async (options: TokenRequest, command: Command) => {
      const token = await mintRequestedToken(options);
      print(globals(command).json ? toJson({ token }) : `${token}\n`);
    });

  program
    .command('completion')
    .description('print a bash completion script: eval "$(kv completion bash)"')
    .addArgument(new Command().createArgument('<shell>', 'only bash').choices(['bash']))
    // Made when asked for, from the whole program: the commands of every group are registered by then.
    .action(() => print(bashCompletion(program)));
}
