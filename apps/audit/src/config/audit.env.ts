import { ServiceEnv } from '@app/service-kit';

export class AuditEnv extends ServiceEnv {
  override KV_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/kv_audit';
  override KV_HTTP_PORT = 8083;
}
