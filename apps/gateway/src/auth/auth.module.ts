import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { GatewayEnv } from '../config/gateway.env';
import { AuthenticationGuard } from './authentication.guard';
import { PermissionGuard } from './permission.guard';
import { RefusedCallLimiter } from '../throttle/refused-call-limiter';
import { TokenVerifier } from './token-verifier';
import { WhoamiController } from './whoami.controller';

@Module({
  controllers: [WhoamiController],
  providers: [
    {
      provide: TokenVerifier,
      inject: [ConfigService],
      useFactory: (config: ConfigService<GatewayEnv, true>) => {
        const jwksUrl = config.get('KV_JWT_JWKS_URL', { infer: true });
        return new TokenVerifier({
          ...(jwksUrl ? { jwksUrl } : { hs256Secret: config.get('KV_JWT_SECRET', { infer: true }) }),
          issuer: config.get('KV_JWT_ISSUER', { infer: true }),
          audience: config.get('KV_JWT_AUDIENCE', { infer: true }),
        });
      },
    },
    RefusedCallLimiter,
    AuthenticationGuard,
    PermissionGuard,
  ],
  exports: [TokenVerifier, RefusedCallLimiter, AuthenticationGuard, PermissionGuard],
})
export class AuthModule {}
