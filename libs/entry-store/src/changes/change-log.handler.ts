import { Controller, Type } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { CHANGE_LOG_PATTERN_OF, ChangeLogPage, ChangeLogRequest, ChangeSource } from '@app/contracts';
import { ChangeLog } from './change-log';

/** The change-log query of `source`'s service (its pattern is the source's own, hence a class per source). */
export function changeLogHandlerOf(source: ChangeSource): Type {
  @Controller()
  class ChangeLogHandler {
    constructor(private readonly changeLog: ChangeLog) {}

    @MessagePattern(CHANGE_LOG_PATTERN_OF[source])
    after(@Payload() request: ChangeLogRequest): Promise<ChangeLogPage> {
      return this.changeLog.page(request);
    }
  }
  return ChangeLogHandler;
}
