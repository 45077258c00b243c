import { applyDecorators } from '@nestjs/common';
import { ErrorCode } from '@app/contracts';
import { ApiErrors } from '../errors/api-errors.decorator';
import { ApiEntryKeyParam, ApiNamespaceIdParam } from '../http/api-params';

/** What any entry call can meet in a secret namespace, where the secrets service decrypts and encrypts. */
const SECRET_STORE_ERRORS: readonly ErrorCode[] = [ErrorCode.DECRYPTION_FAILED, ErrorCode.MASTER_KEY_UNAVAILABLE];

/**
 * Documents a route on the entries of a namespace: its `nsId`, and besides the route's own errors those
 * any entry call can meet: an unknown namespace and, in a secret namespace, the secret store's.
 */
export const ApiEntriesRoute = (...codes: ErrorCode[]) =>
  applyDecorators(ApiNamespaceIdParam(), ApiErrors(ErrorCode.NAMESPACE_NOT_FOUND, ...codes, ...SECRET_STORE_ERRORS));

/** Documents a route on one entry: as ApiEntriesRoute, with its `{key}`, which can be invalid. */
export const ApiEntryRoute = (...codes: ErrorCode[]) =>
  applyDecorators(
    ApiNamespaceIdParam(),
    ApiEntryKeyParam(),
    ApiErrors(ErrorCode.NAMESPACE_NOT_FOUND, ErrorCode.INVALID_KEY, ...codes, ...SECRET_STORE_ERRORS),
  );
