/**
 * `npm run up`: brings the whole platform up on this machine against the local Postgres and RabbitMQ:
 * creates the databases, runs every migration, starts the four processes, and prints where the gateway
 * and Swagger are, with a ready admin token. Ctrl-C stops everything.
 */
import { Command, Option } from 'commander';
import { mintToken } from '@app/tokens';
import { ensureDatabase, runMigrations, withDatabaseName } from './platform/databases';
import { readOrCreateLocalSecrets } from './platform/local-secrets';
import { LogFormat, logLineFormatter } from './platform/log-format';
import { RunningService, startService, stopService, waitUntilReady } from './platform/processes';
import { SERVICES } from './platform/services';

const program = new Command()
  .name('npm run up')
  .description('Start the KV Service platform locally')
  .option(
    '--postgres-url <url>',
    'Postgres server (any database; service databases are created beside it)',
    process.env.KV_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  )
  .option('--rabbitmq-url <url>', 'RabbitMQ broker', process.env.KV_RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672')
  .option('--port <port>', 'gateway port', (value) => Number.parseInt(value, 10), 8080)
  .option('--log-level <level>', 'log level of every process', 'info')
  .addOption(
    new Option('--log-format <format>', 'readable lines, or the JSON the processes write')
      .choices(['pretty', 'json'])
      .default(process.stdout.isTTY ? 'pretty' : 'json', 'pretty on a terminal, else json'),
  );

async function main(): Promise<void> {
  const options = program
    .parse()
    .opts<{ postgresUrl: string; rabbitmqUrl: string; port: number; logLevel: string; logFormat: LogFormat }>();
  const format = logLineFormatter(options.logFormat);
  const secrets = readOrCreateLocalSecrets();

  for (const service of SERVICES) {
    if (!service.database) continue;
    const name = service.database.defaultName;
    const created = await ensureDatabase(options.postgresUrl, name);
    const applied = await runMigrations(service.database.options(withDatabaseName(options.postgresUrl, name)));
    console.log(
      `[db] ${name}: ${created ? 'created' : 'exists'}, ${applied.length ? `applied ${applied.join(', ')}` : 'migrations up to date'}`,
    );
  }

  const running: RunningService[] = [];
  let stopping = false;
  const stopAll = async (code: number): Promise<never> => {
    stopping = true;
    await Promise.all(running.map((service) => stopService(service)));
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  for (const definition of SERVICES) {
    const port = definition.name === 'gateway' ? options.port : definition.defaultPort;
    const env: Record<string, string> = {
      NODE_ENV: 'development',
      KV_LOG_LEVEL: options.logLevel,
      KV_RABBITMQ_URL: options.rabbitmqUrl,
      KV_JWT_SECRET: secrets.jwtSecret,
      KV_MASTER_KEY: secrets.masterKey,
      ...(definition.database ? { KV_DATABASE_URL: withDatabaseName(options.postgresUrl, definition.database.defaultName) } : {}),
    };
    const service = startService(definition, port, env, (line) => console.log(`[${definition.name}] ${format(line)}`));
    service.process.on('exit', (code) => {
      if (stopping) return;
      console.error(`[${definition.name}] exited with code ${code}; stopping the platform`);
      void stopAll(1);
    });
    running.push(service);
    await waitUntilReady(service);
    console.log(`[up] ${definition.name} ready on port ${port}`);
  }

  const token = await mintToken({ secret: secrets.jwtSecret, sub: 'local-admin', permissions: ['*'], apps: ['*'], ttlSeconds: 24 * 3600 });
  const base = `http://localhost:${options.port}/api/v1/kv`;
  console.log(`
KV Service is up.
  Gateway:  ${base}
  Console:  ${base}/ui/   (sign in with the admin token below)
  Swagger:  ${base}/swagger-ui
  Admin token (24 h, every permission, every application):
    export KV_TOKEN=${token}
  Try:
    curl -s -H "Authorization: Bearer $KV_TOKEN" ${base}/namespaces
Press Ctrl-C to stop.
`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
