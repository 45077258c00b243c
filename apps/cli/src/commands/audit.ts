/** `kv audit` and `kv audit verify`. */
import { AUDIT_ACTIONS, AuditQuery } from '@kv-service/client';
import { Command, Option } from 'commander';
import { isoInstant, positiveInteger } from '../argument-parsers';
import type { CommandContext } from '../command-context';
import { formatTable, toJson } from '../output';

export function registerAuditCommands(program: Command, { globals, clientOf, print, resolveNamespace }: CommandContext): void {
  const audit = program
    .command('audit')
    .description('list audit records, newest first (`kv audit verify` checks the hash chain)')
    .option('--namespace <namespace>', 'id or application/name')
    .option('--key <key>', 'key path')
    .addOption(new Option('--action <action>', 'action').choices([...AUDIT_ACTIONS]))
    .option('--user <id>', 'principal id')
    .addOption(new Option('--success <bool>', 'outcome').choices(['true', 'false']))
    .option('--from <iso>', 'from this instant (inclusive)', isoInstant)
    .option('--to <iso>', 'before this instant (exclusive)', isoInstant)
    .option('--limit <n>', 'at most this many records', positiveInteger, 50)
    .action(
      async (
        options: {
          namespace?: string;
          key?: string;
          action?: AuditQuery['action'];
          user?: string;
          success?: string;
          from?: string;
          to?: string;
          limit: number;
        },
        command: Command,
      ) => {
        const client = clientOf(command);
        const query: AuditQuery = {
          namespaceId: options.namespace === undefined ? undefined : await resolveNamespace(client, options.namespace),
          keyPath: options.key,
          action: options.action,
          userId: options.user,
          success: options.success === undefined ? undefined : options.success === 'true',
          from: options.from,
          to: options.to,
          limit: Math.min(options.limit, 1000),
        };
        const records = [];
        for await (const record of client.auditRecords(query)) {
          records.push(record);
          if (records.length >= options.limit) break;
        }
        if (globals(command).json) return print(toJson(records));
        print(
          formatTable(
            ['AT', 'ACTION', 'OK', 'USER', 'NAMESPACE', 'KEY', 'ERROR'],
            records.map((r) => [
              r.occurredAt,
              r.action,
              r.success ? 'yes' : 'no',
              r.userId,
              r.namespaceId ?? '-',
              r.keyPath ?? '-',
              r.errorCode ?? '',
            ]),
          ),
        );
      },
    );
  audit
    .command('verify')
    .description("verify the audit trail's hash chain (exit code 1 when broken)")
    .action(async (_options: unknown, command: Command) => {
      const result = await clientOf(command).verifyAudit();
      // A record accepted through an operator's re-anchoring is named on every run, so that none goes unnoticed.
      const reanchored = result.reanchored.length > 0 ? ` (re-anchored by an operator: ${result.reanchored.join(', ')})` : '';
      print(
        globals(command).json
          ? toJson(result)
          : result.ok
            ? `ok: ${result.checked} records checked${reanchored}\n`
            : `BROKEN at sequence ${result.firstBrokenSequence}: ${result.reason}\n`,
      );
      if (!result.ok) process.exitCode = 1;
    });
}
