import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { HealthModule, createLoggerModule, createRpcValidationPipe } from '@app/service-kit';
import { AuditModule } from './audit/audit.module';
import { Public } from './auth/auth.decorators';
import { AuthModule } from './auth/auth.module';
import { AuthenticationGuard } from './auth/authentication.guard';
import { PermissionGuard } from './auth/permission.guard';
import { GatewayEnv, validateGatewayEnv } from './config/gateway.env';
import { EntriesModule } from './entries/entries.module';
import { HttpExceptionFilter } from './errors/http-exception.filter';
import { EventsModule } from './events/events.module';
import { NamespacesModule } from './namespaces/namespaces.module';
import { WatchModule } from './watch/watch.module';
import { FixedWindowThrottlerStorage } from './throttle/fixed-window.storage';
import { PrincipalThrottlerGuard } from './throttle/principal-throttler.guard';

const healthModule = HealthModule.register({ database: false });
// service-kit's HealthController knows nothing of the gateway's guards: mark it public here
// (live and ready need no token).
for (const controller of healthModule.controllers ?? []) Public()(controller);

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, validate: validateGatewayEnv }),
    createLoggerModule('gateway'),
    ThrottlerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<GatewayEnv, true>) => ({
        throttlers: [
          {
            ttl: config.get('KV_RATE_LIMIT_WINDOW_SECONDS', { infer: true }) * 1000,
            limit: config.get('KV_RATE_LIMIT_REQUESTS', { infer: true }),
          },
        ],
        storage: new FixedWindowThrottlerStorage(),
      }),
    }),
    healthModule,
    AuthModule,
    NamespacesModule,
    EntriesModule,
    EventsModule,
    AuditModule,
    WatchModule,
  ],
  providers: [
    // Global guards run in this order: who is calling, how often, and may they do this.
    { provide: APP_GUARD, useExisting: AuthenticationGuard },
    { provide: APP_GUARD, useClass: PrincipalThrottlerGuard },
    { provide: APP_GUARD, useExisting: PermissionGuard },
    // The same rules as the services apply to their messages: the contracts' classes, whitelisted.
    { provide: APP_PIPE, useFactory: createRpcValidationPipe },
    // Successful reads are recorded by the AuditModule's hooks, refused and failed calls by the filter.
    { provide: APP_FILTER, useClass: HttpExceptionFilter },
  ],
})
export class GatewayAppModule {}
