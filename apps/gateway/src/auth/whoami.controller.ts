import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditAction } from '@app/contracts';
import type { Principal } from '@app/permissions';
import { Audited } from '../audit/audited.decorator';
import { ApiErrors } from '../errors/api-errors.decorator';
import { CurrentPrincipal, CurrentTokenExpiry, RequireTokenOnly } from './auth.decorators';
import { whoamiOf } from './whoami';
import { WhoamiDto } from './whoami.dto';

/** `whoami` is a static segment: it never reaches the `/:nsId/...` routes (namespace ids are UUIDs). */
@ApiTags('auth')
@Controller('whoami')
export class WhoamiController {
  @Get()
  // Any valid token may ask what it grants: the answer is the token's own claims, nothing stored.
  @RequireTokenOnly()
  // Audited like every route, so that a console's sign-in (and a refused one) is in the trail.
  @Audited(AuditAction.WHOAMI)
  @ApiOperation({
    summary: "The caller's principal, its grants, applications and token expiry (never the token)",
    description:
      'Needs a valid token and no permission. `granted` says what the grants give by the rules every route applies, so that a client offers only what the token allows; each route still checks.',
  })
  @ApiOkResponse({ type: WhoamiDto })
  @ApiErrors()
  whoami(@CurrentPrincipal() principal: Principal, @CurrentTokenExpiry() expiresAt: number): WhoamiDto {
    return whoamiOf(principal, expiresAt, Date.now());
  }
}
