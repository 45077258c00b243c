import { ApiProperty } from '@nestjs/swagger';
import { ALL_PERMISSIONS, Permission } from '@app/permissions';

/** One permission the token grants somewhere: in every namespace, or only in those its scoped grants name. */
export class GrantedPermissionDto {
  @ApiProperty({ enum: ALL_PERMISSIONS, example: 'kv-entry:read' }) permission!: Permission;
  @ApiProperty({ description: "Granted in every namespace (of the token's applications)" }) allNamespaces!: boolean;
  @ApiProperty({ type: [String], description: 'Without `allNamespaces`: the namespaces its scoped grants name' }) namespaceIds!: string[];
}

/** What the caller's token makes it: never the token itself. */
export class WhoamiDto {
  @ApiProperty({ example: 'ops', description: "The token's `sub`: the principal every change and audit record names" })
  userId!: string;

  @ApiProperty({ type: [String], example: ['kv-namespace:read', 'kv-entry:*@3f0c…'], description: "The token's grants as it states them" })
  permissions!: string[];

  @ApiProperty({
    type: [GrantedPermissionDto],
    description: 'Each permission those grants give, and where; a permission absent here is not granted (an unknown grant grants nothing)',
  })
  granted!: GrantedPermissionDto[];

  @ApiProperty({ type: [String], example: ['billing'], description: 'The token\'s applications; `["*"]` for all' })
  applications!: string[];

  @ApiProperty({ format: 'date-time', description: 'When the token expires (its `exp`)' })
  expiresAt!: string;

  @ApiProperty({ minimum: 0, description: 'Whole seconds from now until then' })
  expiresInSeconds!: number;
}
