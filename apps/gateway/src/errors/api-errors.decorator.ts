import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorCode } from '@app/contracts';
import { STATUS_CODES } from 'node:http';
import { ErrorResponseDto } from './error-response.dto';
import { httpStatusOf } from './error-status';

/** What any authenticated route can answer besides its own errors. */
export const COMMON_ERROR_CODES: readonly ErrorCode[] = [
  ErrorCode.VALIDATION_FAILED,
  ErrorCode.UNAUTHENTICATED,
  ErrorCode.FORBIDDEN,
  ErrorCode.RATE_LIMITED,
  ErrorCode.SERVICE_UNAVAILABLE,
  ErrorCode.SERVICE_TIMEOUT,
  ErrorCode.INTERNAL_ERROR,
];

/** The error codes a route can return, grouped by status: one documented response per status. */
export function errorResponsesByStatus(codes: readonly ErrorCode[]): Map<number, ErrorCode[]> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of new Set([...COMMON_ERROR_CODES, ...codes])) {
    const status = httpStatusOf(code);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return new Map([...byStatus.entries()].sort(([a], [b]) => a - b));
}

/** Documents the route's own error codes plus the common ones, each as `ErrorResponseDto`. */
export const ApiErrors = (...codes: ErrorCode[]) =>
  applyDecorators(
    ...[...errorResponsesByStatus(codes)].map(([status, statusCodes]) =>
      ApiResponse({ status, type: ErrorResponseDto, description: `${STATUS_CODES[status]}: ${statusCodes.join(', ')}` }),
    ),
  );
