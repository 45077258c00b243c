/** `kv token` and `kv completion`: commands that call no gateway. */
import { mintRequestedToken, TokenRequest, withTokenRequestOptions } from '@app/tokens';
import { Command } from 'commander';
import { bashCompletion } from '../completion';
import type { CommandContext } from '../command-context';
import { toJson } from '../output';

export function registerToolCommands(program: Command, { globals, print }: CommandContext): void {
  withTokenRequestOptions(
    program
      .command('token')
      .description('mint an HS256 token (signed with --secret, KV_JWT_SECRET, or the local development key of `npm run up`)'),
  ).action(async (options: TokenRequest, command: Command) => {
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
