import { DiscoveryModule } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { AuditRecordMessage, NamespaceByIdRequest, NamespaceDescriptor, NamespacePattern } from '@app/contracts';
import { Principal } from '@app/permissions';
import { signedToken } from '../../../../test/support/principals';
import { aNamespaceDescriptor } from '../../../../test/support/samples';
import type { AuditPublisher } from '../../src/audit/audit-trail';

export const TEST_JWT_SECRET = 'test-secret-test-secret-test-secret-42';

/** The descriptor the mocked kv-entry service gives by default: a plain namespace of application `billing`. */
export function plainDescriptor(namespaceId: string): NamespaceDescriptor {
  return aNamespaceDescriptor({ id: namespaceId });
}

export interface BootedGateway {
  app: NestFastifyApplication;
  /** The kv-entry client's `send`, replaced (no broker is involved), for every message but DESCRIBE. */
  send: jest.Mock;
  /** kv-entry's answer to DESCRIBE (the request only); by default `plainDescriptor`. */
  describeNamespace: jest.Mock<Promise<NamespaceDescriptor>, [NamespaceByIdRequest]>;
  /** The secrets client's `send`, replaced. */
  secretsSend: jest.Mock;
  /** The audit client's `send`, replaced. */
  auditSend: jest.Mock;
  /**
   * The audit trail's `publishAuditRecords`, replaced: it resolves (the broker confirmed) unless a test
   * makes it reject or wait. Its first argument is the records of one send.
   */
  auditPublish: jest.Mock<ReturnType<AuditPublisher['publishAuditRecords']>, Parameters<AuditPublisher['publishAuditRecords']>>;
  /** Every route registered on Fastify, by Nest or not ("GET /api/v1/kv/...", plus its constraints if any). */
  fastifyRoutes: string[];
}

/** The records the gateway published, in order. */
export function publishedRecords(auditPublish: BootedGateway['auditPublish']): AuditRecordMessage[] {
  return auditPublish.mock.calls.flatMap(([records]) => [...records]);
}

/**
 * Boots the real GatewayAppModule in-process, configured as `main.ts` configures it, with the
 * service clients and the audit trail's publisher replaced by mocks. `env` goes to process.env before the module is loaded,
 * since ConfigModule reads it once, at import.
 */
export async function bootGateway(
  env: Record<string, string> = {},
  /** A real publisher (a ConfirmPublisher on a test vhost) for `auditPublish` to pass records to; else each is confirmed at once. */
  options: { auditPublisher?: AuditPublisher } = {},
): Promise<BootedGateway> {
  Object.assign(process.env, {
    KV_JWT_SECRET: TEST_JWT_SECRET,
    KV_LOG_LEVEL: 'silent',
    KV_RABBITMQ_URL: 'amqp://127.0.0.1:1',
    // Each record on its own, at once, so that a test sees it as soon as the response is back.
    KV_AUDIT_BATCH_MAX: '1',
    ...env,
  });
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { GatewayAppModule } = require('../../src/gateway-app.module') as typeof import('../../src/gateway-app.module');
  const { configureGateway } = require('../../src/bootstrap') as typeof import('../../src/bootstrap');
  const { createGatewayAdapter } = require('../../src/http/fastify-adapter') as typeof import('../../src/http/fastify-adapter');
  const { KvEntryClient } = require('../../src/rpc/kv-entry.client') as typeof import('../../src/rpc/kv-entry.client');
  const { SecretsClient } = require('../../src/rpc/secrets.client') as typeof import('../../src/rpc/secrets.client');
  const { AuditClient } = require('../../src/rpc/audit.client') as typeof import('../../src/rpc/audit.client');
  const { gatewayHttpOptionsOf, readGatewayEnv } = require('../../src/config/gateway.env') as typeof import('../../src/config/gateway.env');
  const { AUDIT_PUBLISHER } = require('../../src/audit/audit-trail') as typeof import('../../src/audit/audit-trail');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const send = jest.fn();
  const describeNamespace = jest.fn((request: NamespaceByIdRequest) => Promise.resolve(plainDescriptor(request.namespaceId)));
  const secretsSend = jest.fn();
  const auditSend = jest.fn();
  const { auditPublisher } = options;
  const auditPublish: BootedGateway['auditPublish'] = jest.fn((...args: Parameters<AuditPublisher['publishAuditRecords']>) =>
    auditPublisher ? auditPublisher.publishAuditRecords(...args) : Promise.resolve(),
  );
  const kvEntrySend = (pattern: string, request: unknown): unknown =>
    pattern === NamespacePattern.DESCRIBE ? describeNamespace(request as NamespaceByIdRequest) : send(pattern, request);
  const moduleRef = await Test.createTestingModule({ imports: [GatewayAppModule, DiscoveryModule] })
    .overrideProvider(KvEntryClient)
    .useValue({ send: kvEntrySend })
    .overrideProvider(SecretsClient)
    .useValue({ send: secretsSend })
    .overrideProvider(AuditClient)
    .useValue({ send: auditSend })
    .overrideProvider(AUDIT_PUBLISHER)
    .useValue({ publishAuditRecords: auditPublish, close: () => auditPublisher?.close() ?? Promise.resolve() } satisfies AuditPublisher)
    .compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createGatewayAdapter(gatewayHttpOptionsOf(readGatewayEnv())), {
    logger: false,
  });
  const fastifyRoutes: string[] = [];
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRoute', (route) => {
      const constraints = Object.entries(route.constraints ?? {})
        .map(([name, value]) => ` [${name}=${String(value)}]`)
        .join('');
      for (const method of [route.method].flat()) if (method !== 'HEAD') fastifyRoutes.push(`${method} ${route.url}${constraints}`);
    });
  configureGateway(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return { app, send, describeNamespace, secretsSend, auditSend, auditPublish, fastifyRoutes };
}

/** A token of `principal` that the booted gateway accepts; signed with another `secret`, one it refuses as forged. */
export function tokenFor(principal: Principal, secret = TEST_JWT_SECRET): Promise<string> {
  return signedToken(principal, secret, 300);
}
