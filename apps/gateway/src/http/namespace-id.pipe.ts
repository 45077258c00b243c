import { Injectable, PipeTransform } from '@nestjs/common';
import { ErrorCode, KvException } from '@app/contracts';
import { isUUID } from 'class-validator';

/** A namespace id that is not a UUID names no namespace: 404 at once, without asking the service. */
@Injectable()
export class NamespaceIdPipe implements PipeTransform<unknown, string> {
  transform(value: unknown): string {
    if (typeof value !== 'string' || !isUUID(value)) throw new KvException(ErrorCode.NAMESPACE_NOT_FOUND, 'namespace not found');
    return value;
  }
}
