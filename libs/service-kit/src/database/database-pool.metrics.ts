import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Gauge, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { METRICS_REGISTRY } from '../metrics/metrics';

interface PgPool {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

/** Use of the database pool, read when scraped: open connections, idle ones, and callers waiting for one. */
@Injectable()
export class DatabasePoolMetrics {
  constructor(@Inject(METRICS_REGISTRY) registry: Registry, @InjectDataSource() dataSource: DataSource) {
    const pool = (): PgPool | undefined => (dataSource.driver as unknown as { master?: PgPool }).master;
    new Gauge({
      name: 'kv_db_pool_connections',
      help: 'Database pool connections by state (total, idle, waiting callers)',
      labelNames: ['state'],
      registers: [registry],
      collect() {
        const current = pool();
        if (current === undefined) return;
        this.set({ state: 'total' }, current.totalCount);
        this.set({ state: 'idle' }, current.idleCount);
        this.set({ state: 'waiting' }, current.waitingCount);
      },
    });
  }
}
