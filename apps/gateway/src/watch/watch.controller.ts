import { Controller, Get, Headers, Query, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { AuditAction, ErrorCode, MessageMeta } from '@app/contracts';
import { Permission } from '@app/permissions';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Audited } from '../audit/audited.decorator';
import { RequirePermission } from '../auth/auth.decorators';
import { ApiEntriesRoute } from '../entries/api-entry-route';
import { RequestMeta } from '../http/message-meta.decorator';
import { NamespaceId } from '../http/namespace-id.pipe';
import { REVISION_RESPONSE_HEADER } from './watch-api';
import { WatchQuery } from './watch.query';
import { WatchService } from './watch.service';

const STREAM_DESCRIPTION = `Server-Sent Events, one per change: \`id\` is the cursor to resume from, \`event\` the change
(\`created\`, \`updated\`, \`deleted\`, \`expired\`, \`rotated\`, \`rolled_back\`, \`namespace_updated\`, \`namespace_deleted\`),
\`data\` one JSON object: the \`kv.events\` envelope (\`keyPath\`, \`version\`, \`occurredAt\`, \`actor\`, ...) and \`revision\`,
never a value. A comment every 15 s keeps proxies from timing out. The gateway ends a stream with \`event: end\`, data
\`{"reason", "revision"}\`: \`TOKEN_EXPIRED\`, \`NAMESPACE_DELETED\` (after its event), \`SLOW_CONSUMER\` and \`SHUTDOWN\`
(resume from the last id), \`REVISION_COMPACTED\` (read again).`;

@ApiTags('watch')
@Controller(':nsId/watch')
export class WatchController {
  constructor(private readonly watches: WatchService) {}

  @Get()
  @RequirePermission(Permission.NamespaceRead, Permission.EntryRead)
  @Audited(AuditAction.WATCH)
  @ApiOperation({
    summary: "Follow a namespace's changes as Server-Sent Events, from a read's revision on",
    description:
      'Needs `kv-namespace:read` and `kv-entry:read`, as listing does. Every change after the starting revision comes, in the ' +
      'order it became visible; one a read already showed may come again: recognise it by (event, `keyPath`, `version`). ' +
      'A point older than the retained change log answers 410 `REVISION_COMPACTED`: read again and watch from that read. ' +
      '`expired` comes when the sweep removes the entry, up to its interval after the entry stopped being readable. ' +
      'Watches per principal and per gateway are limited (429 `WATCH_LIMIT_REACHED`).',
  })
  @ApiEntriesRoute(ErrorCode.INVALID_KEY, ErrorCode.INVALID_REVISION, ErrorCode.REVISION_COMPACTED, ErrorCode.WATCH_LIMIT_REACHED)
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'The `id` of the last event received: resume after it' })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({
    description: STREAM_DESCRIPTION,
    headers: REVISION_RESPONSE_HEADER,
    content: {
      'text/event-stream': {
        schema: { type: 'string', example: 'id: 43\nevent: updated\ndata: {"keyPath":"db/host","version":2,...}\n\n' },
      },
    },
  })
  async watch(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @RequestMeta() meta: MessageMeta,
    @NamespaceId() namespaceId: string,
    @Query() query: WatchQuery,
    @Headers('last-event-id') lastEventId: string | undefined,
  ): Promise<void> {
    // An empty one names no point, as if it were not sent: from now on.
    const cursor = lastEventId || query.since || undefined;
    await this.watches.open(request, reply, meta, { namespaceId, prefix: query.prefix ?? '', cursor });
  }
}
