import { ApiProperty } from '@nestjs/swagger';
import { ErrorCode } from '@app/contracts';

/** The body of every error response. */
export class ErrorResponseDto {
  @ApiProperty({ example: 404 }) statusCode!: number;
  @ApiProperty({ description: 'HTTP reason phrase', example: 'Not Found' }) error!: string;
  @ApiProperty({ description: 'Safe to show; never quotes a value or a token', example: 'namespace not found' }) message!: string;
  @ApiProperty({ enum: Object.values(ErrorCode), description: 'Stable machine-readable code', example: ErrorCode.NAMESPACE_NOT_FOUND })
  code!: ErrorCode;
}
