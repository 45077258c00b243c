/**
 * Checks the deployment artifacts offline: the Compose file against the Compose specification's schema,
 * every Kustomize overlay rendered by a real kustomize (`kubectl kustomize`) and every rendered object
 * against the Kubernetes API schemas, then both against the apps themselves (entry points, ports,
 * health paths, variables each app reads), and the operations guide against the env classes.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Ajv from 'ajv';
import { getMetadataStorage } from 'class-validator';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { QUEUE_TYPES, envValidator } from '@app/service-kit';
import { AuditEnv } from '../../apps/audit/src/config/audit.env';
import { GatewayEnv } from '../../apps/gateway/src/config/gateway.env';
import { KvEntryEnv } from '../../apps/kv-entry/src/config/kv-entry.env';
import { parseMasterKeyring } from '../../apps/secrets/src/crypto/master-keyring';
import { SecretsEnv } from '../../apps/secrets/src/config/secrets.env';
import { PLATFORM_NODE_OPTIONS, SERVICES, ServiceName } from '../platform/services';

const ROOT = join(__dirname, '..', '..');
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

type EnvClass = new () => { KV_HTTP_PORT: number };
const ENV_CLASSES: Record<ServiceName, EnvClass> = { gateway: GatewayEnv, 'kv-entry': KvEntryEnv, secrets: SecretsEnv, audit: AuditEnv };
const APPS = Object.keys(ENV_CLASSES) as ServiceName[];
const IMAGE_REPOSITORY = 'kv-service';
const definition = (app: ServiceName) => SERVICES.find((service) => service.name === app)!;
const defaultPort = (app: ServiceName): number => new ENV_CLASSES[app]().KV_HTTP_PORT;

/** The variables an env class validates, inherited ones included. */
function envClassVariables(app: ServiceName): string[] {
  return [
    ...new Set(
      getMetadataStorage()
        .getTargetValidationMetadatas(ENV_CLASSES[app], '', true, false)
        .map((m) => m.propertyName),
    ),
  ];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.spec.ts'))
    .map((file) => join(dir, file));
}

/** What an app can read: its env class, plus any KV_ name its own code or the service kit spells out (the master keyring). */
function knownVariables(app: ServiceName): Set<string> {
  const spelled = [...sourceFiles(`apps/${app}/src`), ...sourceFiles('libs/service-kit/src')].flatMap(
    (file) => read(file).match(/\bKV_[A-Z0-9_]+\b/g) ?? [],
  );
  return new Set([...envClassVariables(app), ...spelled]);
}

// ---------------------------------------------------------------------------------------------- Compose

interface ComposeService {
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  ports?: string[];
  volumes?: string[];
  read_only?: boolean;
  cap_drop?: string[];
  security_opt?: string[];
}

const composeText = read('docker-compose.yml');
const compose = parseYaml(composeText, { merge: true }) as { services: Record<string, ComposeService> };
const appImage = compose.services.gateway.image;
const imageServices = Object.entries(compose.services).filter(([, service]) => service.image === appImage);
const appOfCompose = (command: string[] = []): ServiceName | undefined =>
  APPS.find((app) => command.join(' ') === `node dist/apps/${app}/src/main.js`);

/** The Compose specification's schema as dclint ships it, refreshed from compose-spec by its maintainers. */
function composeSchemaValidator() {
  // The package's exports hide its subpaths; its folder is found through the one file they expose.
  const path = join(dirname(require.resolve('dclint/package.json')), 'schemas/compose.schema.json');
  const schema = JSON.parse(readFileSync(path, 'utf8')) as { $schema: string };
  // Draft-07 under an https address, which Ajv knows by its http one; any other dialect fails the compile.
  const dialect = schema.$schema === 'https://json-schema.org/draft-07/schema' ? 'http://json-schema.org/draft-07/schema#' : schema.$schema;
  // strictTypes off: the schema spells "a number, or a string to interpolate" as a union type.
  return new Ajv({ allErrors: true, strictTypes: false }).compile({ ...schema, $schema: dialect });
}

describe('docker-compose.yml', () => {
  it('validates against the Compose specification schema', () => {
    const validate = composeSchemaValidator();
    const valid = validate(compose);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('refuses a document the Compose specification does not allow', () => {
    const validate = composeSchemaValidator();
    const broken = structuredClone(compose);
    // A misspelled key, and a dependency condition Compose does not have.
    const { healthcheck, ...gateway } = broken.services.gateway;
    broken.services.gateway = Object.assign(gateway, { healtcheck: healthcheck });
    broken.services.audit.depends_on = { ...broken.services.audit.depends_on, rabbitmq: { condition: 'service_ready' } };
    expect(validate(broken)).toBe(false);
    expect(validate.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ instancePath: '/services/gateway', params: { additionalProperty: 'healtcheck' } }),
        expect.objectContaining({ instancePath: '/services/audit/depends_on/rabbitmq/condition', keyword: 'enum' }),
      ]),
    );
  });

  it('runs every app, and only apps, from the one image, each with its own entry point', () => {
    expect(appImage).toMatch(new RegExp(`^\\$\\{KV_IMAGE:-${IMAGE_REPOSITORY}:[^}]+\\}$`));
    // A service is an app with a main.ts; the kv command (apps/cli) is a tool, not deployed.
    const services = readdirSync(join(ROOT, 'apps')).filter((app) => existsSync(join(ROOT, `apps/${app}/src/main.ts`)));
    expect(services.sort()).toEqual([...APPS].sort());
    for (const [name, service] of imageServices) {
      const migrates = service.command?.slice(0, 2).join(' ') === 'node dist/scripts/db-setup.js';
      if (migrates) {
        expect(`${service.command?.[2]}-migrate`).toBe(name);
      } else {
        expect(appOfCompose(service.command)).toBe(name);
        expect(existsSync(join(ROOT, `apps/${name}/src/main.ts`))).toBe(true);
      }
    }
    expect(
      imageServices
        .map(([name]) => name)
        .filter((name) => APPS.includes(name as ServiceName))
        .sort(),
    ).toEqual([...APPS].sort());
  });

  it.each(APPS)('%s: health check asks readiness on the port the app listens on by default', (app) => {
    const service = compose.services[app];
    expect(service.environment?.KV_HTTP_PORT).toBeUndefined();
    const url = new URL(/fetch\('([^']+)'\)/.exec(service.healthcheck?.test.join(' ') ?? '')?.[1] ?? 'http://missing');
    expect(Number(url.port)).toBe(defaultPort(app));
    expect(url.pathname).toBe(`${definition(app).healthPath}/ready`);
  });

  it('publishes the gateway on its default port, and nothing else of the apps', () => {
    expect(compose.services.gateway.ports?.map((port) => port.split(':').pop())).toEqual([String(defaultPort('gateway'))]);
    for (const app of APPS.filter((name) => name !== 'gateway')) expect(compose.services[app].ports).toBeUndefined();
    expect(compose.services.rabbitmq.ports).toEqual(['127.0.0.1:15672:15672']);
  });

  it.each(APPS)('%s: starts after its servers are healthy and its migrations have completed', (app) => {
    const dependsOn = compose.services[app].depends_on ?? {};
    for (const [dependency, { condition }] of Object.entries(dependsOn)) {
      expect(compose.services[dependency]).toBeDefined();
      if (condition === 'service_healthy') expect(compose.services[dependency].healthcheck).toBeDefined();
      else expect([condition, dependency]).toEqual(['service_completed_successfully', `${app}-migrate`]);
    }
    expect(dependsOn.rabbitmq?.condition).toBe('service_healthy');
    if (definition(app).database) {
      expect(dependsOn.postgres?.condition).toBe('service_healthy');
      expect(dependsOn[`${app}-migrate`]?.condition).toBe('service_completed_successfully');
      expect(compose.services[`${app}-migrate`].environment?.KV_DATABASE_URL).toBe(compose.services[app].environment?.KV_DATABASE_URL);
      expect(compose.services[app].environment?.KV_DATABASE_URL).toMatch(
        new RegExp(`@postgres:5432/${definition(app).database!.defaultName}$`),
      );
    }
  });

  it.each(APPS)('%s: sets only variables the app reads', (app) => {
    const known = knownVariables(app);
    for (const variable of Object.keys(compose.services[app].environment ?? {}))
      expect([app, variable, known.has(variable)]).toEqual([app, variable, true]);
  });

  it('takes every secret from the uncommitted .env, and .env.example names every variable it interpolates', () => {
    const secretish = /SECRET|PASSWORD|PASS$|MASTER_KEY|_URL$/;
    for (const service of Object.values(compose.services)) {
      for (const [variable, value] of Object.entries(service.environment ?? {})) {
        if (secretish.test(variable)) expect([variable, value]).toEqual([variable, expect.stringContaining('${')]);
      }
    }
    const example = new Set([...read('.env.example').matchAll(/^([A-Z0-9_]+)=/gm)].map((match) => match[1]));
    const interpolated = new Set([...composeText.matchAll(/\$\{([A-Z0-9_]+)/g)].map((match) => match[1]));
    expect([...interpolated].filter((variable) => !example.has(variable))).toEqual([]);
    expect(spawnSync('git', ['check-ignore', '-q', '.env'], { cwd: ROOT }).status).toBe(0);
  });

  it('runs every container of the app image read-only, without capabilities or privilege escalation', () => {
    for (const [name, service] of imageServices) {
      expect([name, service.read_only, service.cap_drop, service.security_opt]).toEqual([name, true, ['ALL'], ['no-new-privileges:true']]);
    }
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));

  it('runs the final stage on a slim Node image as a numeric non-root user, with production dependencies only', () => {
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:22-bookworm-slim$/m);
    expect(runtime).toMatch(/^USER [1-9][0-9]*:[1-9][0-9]*$/m);
    expect(dockerfile).toMatch(/npm install --omit=dev/);
    expect(runtime).not.toMatch(/^RUN /m);
  });

  it('caps the heap as the local platform does', () => {
    expect(runtime).toContain(`\nENV NODE_OPTIONS="${PLATFORM_NODE_OPTIONS}"\n`);
  });

  it('copies only paths that exist and starts an existing entry point by default', () => {
    const sources = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((match) => match[1].split(' '));
    for (const source of sources) expect([source, existsSync(join(ROOT, source))]).toEqual([source, true]);
    expect(appOfCompose(JSON.parse(/^CMD (.+)$/m.exec(runtime)![1]) as string[])).toBe('gateway');
  });
});

// ---------------------------------------------------------------------------------------------- Kubernetes

interface Container {
  name: string;
  image: string;
  command?: string[];
  ports?: Array<{ name?: string; containerPort: number }>;
  env?: Array<{ name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }>;
  envFrom?: Array<{ configMapRef?: { name: string } }>;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  livenessProbe?: { httpGet?: { path: string; port: string | number } };
  readinessProbe?: { httpGet?: { path: string; port: string | number } };
  securityContext?: { allowPrivilegeEscalation?: boolean; readOnlyRootFilesystem?: boolean; capabilities?: { drop?: string[] } };
  volumeMounts?: Array<{ mountPath: string }>;
}
interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
  terminationGracePeriodSeconds?: number;
}
// `spec` stays loose: the schema check, not this type, vouches for the rendered objects' shape.
type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  spec?: any;
  data?: Record<string, string>;
};

const OVERLAYS = readdirSync(join(ROOT, 'k8s/overlays'));

/** A real kustomize: the one built into kubectl (KUBECTL names another), else a standalone kustomize. */
function kustomizeCommand(): string[] {
  const candidates = [
    [process.env.KUBECTL ?? 'kubectl', 'kustomize'],
    ['kustomize', 'build'],
  ];
  const found = candidates.find(
    ([binary]) =>
      spawnSync(binary, ['version', '--client'], { encoding: 'utf8' }).status === 0 ||
      spawnSync(binary, ['version'], { encoding: 'utf8' }).status === 0,
  );
  if (!found) {
    throw new Error(
      'No kustomize found: install kubectl (it ships kustomize) or kustomize, or set KUBECTL. The Kubernetes manifests cannot be checked without it.',
    );
  }
  return found;
}

function render(overlay: string): K8sObject[] {
  const [binary, ...args] = kustomizeCommand();
  const result = spawnSync(binary, [...args, join(ROOT, 'k8s/overlays', overlay)], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`kustomize failed for ${overlay}:\n${result.stderr}`);
  return parseAllDocuments(result.stdout).map((document) => document.toJS() as K8sObject);
}

function schemaProblems(objects: K8sObject[]): string[] {
  // Kustomize wraps long base64 values; the API server's decoder skips the newlines, the schema's "byte" format does not.
  const normalised = objects.map((object) =>
    object.kind === 'Secret' && object.data
      ? { ...object, data: Object.fromEntries(Object.entries(object.data).map(([key, value]) => [key, value.replace(/\s/g, '')])) }
      : object,
  );
  const result = spawnSync(process.execPath, [join(__dirname, 'validate-k8s-objects.mjs')], {
    input: JSON.stringify(normalised),
    encoding: 'utf8',
    cwd: ROOT,
  });
  if (result.status !== 0) throw new Error(`schema validation did not run:\n${result.stderr}`);
  return JSON.parse(result.stdout) as string[];
}

const podSpecOf = (object: K8sObject): PodSpec | undefined => object.spec?.template?.spec as PodSpec | undefined;
const appContainers = (objects: K8sObject[]) =>
  objects
    .filter((object) => ['Deployment', 'Job'].includes(object.kind))
    .flatMap((object) =>
      [...podSpecOf(object)!.containers, ...(podSpecOf(object)!.initContainers ?? [])].map((container) => ({ object, container })),
    );

/** The plain settings a Deployment's container gets: its ConfigMaps' and its literal values, without Secrets. */
function plainEnvironmentOf(objects: K8sObject[], app: ServiceName): Record<string, string> {
  const deployment = objects.find((object) => object.kind === 'Deployment' && object.metadata.name === app)!;
  const [container] = podSpecOf(deployment)!.containers;
  const configMap = (name: string) => objects.find((object) => object.kind === 'ConfigMap' && object.metadata.name === name)?.data;
  return Object.assign(
    {},
    ...(container.envFrom ?? []).map((source) => configMap(source.configMapRef!.name)),
    ...(container.env ?? []).flatMap((entry) => (entry.value === undefined ? [] : [{ [entry.name]: entry.value }])),
  ) as Record<string, string>;
}

/** Every process declares these queues: all four must see the same type, or the broker refuses some of them. */
const QUEUE_TYPE_VARIABLES = ['KV_RABBITMQ_QUEUE_TYPE', 'KV_RABBITMQ_REQUEST_QUEUE_TYPE'] as const;

describe.each(OVERLAYS)('k8s overlay %s', (overlay) => {
  let objects: K8sObject[];
  const byKind = (kind: string) => objects.filter((object) => object.kind === kind);
  const named = (kind: string, name: string) => objects.find((object) => object.kind === kind && object.metadata.name === name);

  beforeAll(() => {
    objects = render(overlay);
  });

  it('renders, and every object validates against the Kubernetes API schema', () => {
    expect(objects.length).toBeGreaterThan(10);
    expect(schemaProblems(objects)).toEqual([]);
  });

  it.each(APPS)('%s: Deployment runs the app with probes on its health endpoints and default port', (app) => {
    const pod = podSpecOf(named('Deployment', app)!)!;
    const [container] = pod.containers;
    expect(pod.containers).toHaveLength(1);
    expect(appOfCompose(container.command)).toBe(app);
    // The gateway also serves Prometheus on a port of its own (KV_METRICS_PORT), which no Service exposes.
    const expectedPorts = app === 'gateway' ? [defaultPort(app), new GatewayEnv().KV_METRICS_PORT] : [defaultPort(app)];
    expect(container.ports?.map((port) => port.containerPort)).toEqual(expectedPorts);
    for (const [probe, endpoint] of [
      [container.livenessProbe, 'live'],
      [container.readinessProbe, 'ready'],
    ] as const) {
      expect(probe?.httpGet?.path).toBe(`${definition(app).healthPath}/${endpoint}`);
      const port = probe?.httpGet?.port;
      expect(typeof port === 'number' ? port : container.ports?.find((candidate) => candidate.name === port)?.containerPort).toBe(
        defaultPort(app),
      );
    }
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(0);
  });

  it('runs every app and migration container non-root, read-only, unprivileged, with resources and a /tmp', () => {
    const checked = appContainers(objects);
    expect(checked.length).toBeGreaterThanOrEqual(APPS.length);
    for (const { object, container } of checked) {
      const pod = podSpecOf(object)!;
      const facts = {
        runAsNonRoot: pod.securityContext?.runAsNonRoot,
        nonRootUser: (pod.securityContext?.runAsUser ?? 0) > 0,
        readOnlyRootFilesystem: container.securityContext?.readOnlyRootFilesystem,
        allowPrivilegeEscalation: container.securityContext?.allowPrivilegeEscalation,
        drop: container.securityContext?.capabilities?.drop,
        resources: ['requests', 'limits'].map((kind) => Object.keys(container.resources?.[kind as 'requests'] ?? {}).sort()),
        tmp: container.volumeMounts?.some((mount) => mount.mountPath === '/tmp'),
      };
      expect([object.metadata.name, facts]).toEqual([
        object.metadata.name,
        {
          runAsNonRoot: true,
          nonRootUser: true,
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
          drop: ['ALL'],
          resources: [
            ['cpu', 'memory'],
            ['cpu', 'memory'],
          ],
          tmp: true,
        },
      ]);
    }
  });

  it('uses one image, the one compose builds, for every app and migration container', () => {
    const images = new Set(appContainers(objects).map(({ container }) => container.image));
    expect(images.size).toBe(1);
    const [image] = images;
    expect(image.split('/').pop()?.split(':')[0]).toBe(IMAGE_REPOSITORY);
    expect(image).toMatch(/:[\w.-]+$/);
  });

  it('runs one migration Job per service database, with the service database secret', () => {
    for (const app of APPS.filter((name) => definition(name).database)) {
      const [container] = podSpecOf(named('Job', `${app}-migrate`)!)!.containers;
      expect(container.command).toEqual(['node', 'dist/scripts/db-setup.js', app]);
      const jobUrl = container.env?.find((variable) => variable.name === 'KV_DATABASE_URL')?.valueFrom?.secretKeyRef;
      const appUrl = podSpecOf(named('Deployment', app)!)!.containers[0].env?.find((variable) => variable.name === 'KV_DATABASE_URL')
        ?.valueFrom?.secretKeyRef;
      expect(jobUrl).toBeDefined();
      expect(jobUrl).toEqual(appUrl);
    }
  });

  it.each(APPS)('%s: sets only variables the app reads, secrets by reference only', (app) => {
    const known = knownVariables(app);
    const [container] = podSpecOf(named('Deployment', app)!)!.containers;
    const fromConfigMaps = (container.envFrom ?? []).flatMap((source) =>
      Object.keys(named('ConfigMap', source.configMapRef!.name)?.data ?? {}),
    );
    for (const variable of [...fromConfigMaps, ...(container.env ?? []).map((entry) => entry.name)])
      expect([variable, known.has(variable)]).toEqual([variable, true]);
    for (const entry of container.env ?? []) expect([entry.name, entry.value]).toEqual([entry.name, undefined]);
  });

  it.each(QUEUE_TYPE_VARIABLES)('gives every app the same valid %s', (variable) => {
    const types = APPS.map((app) => [app, plainEnvironmentOf(objects, app)[variable]]);
    expect(new Set(types.map(([, type]) => type)).size).toBe(1);
    for (const [app, type] of types) expect([app, QUEUE_TYPES.includes(type as never)]).toEqual([app, true]);
  });

  it('exposes only the gateway: Ingress, HorizontalPodAutoscaler and PodDisruptionBudget point at it', () => {
    const [ingress] = byKind('Ingress');
    expect(byKind('Ingress')).toHaveLength(1);
    const backends = ingress.spec.rules.flatMap(
      (rule: { http: { paths: Array<{ path: string; backend: { service: { name: string; port: { name: string } } } }> } }) =>
        rule.http.paths,
    );
    expect(
      backends.map((path: { path: string; backend: { service: { name: string } } }) => [path.path, path.backend.service.name]),
    ).toEqual([['/api/v1/kv', 'gateway']]);
    expect(byKind('HorizontalPodAutoscaler').map((hpa) => hpa.spec.scaleTargetRef)).toEqual([
      { apiVersion: 'apps/v1', kind: 'Deployment', name: 'gateway' },
    ]);
    expect(named('Deployment', 'gateway')!.spec.replicas).toBeUndefined();
    expect(byKind('PodDisruptionBudget').map((pdb) => pdb.spec.selector.matchLabels)).toEqual([{ 'app.kubernetes.io/name': 'gateway' }]);
  });

  it('denies all traffic by default and lets only the ingress controller reach the gateway', () => {
    const policies = byKind('NetworkPolicy');
    expect(policies.find((policy) => policy.metadata.name === 'default-deny')?.spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
    });
    const appIngress = policies.filter(
      (policy) =>
        policy.spec.policyTypes.includes('Ingress') &&
        policy.spec.ingress &&
        JSON.stringify(policy.spec.podSelector).match(/gateway|kv-entry|secrets|audit/),
    );
    expect(appIngress.map((policy) => policy.metadata.name)).toEqual(['gateway-ingress', 'metrics-scrape']);
    // Scraping reaches the metrics and health ports from the monitoring namespace only, never the public port.
    const scrape = appIngress.find((policy) => policy.metadata.name === 'metrics-scrape')!.spec.ingress;
    expect(scrape.flatMap((rule: { from: unknown[] }) => rule.from)).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } },
    ]);
    expect(scrape.flatMap((rule: { ports: Array<{ port: number }> }) => rule.ports.map((port) => port.port))).not.toContain(
      defaultPort('gateway'),
    );
  });

  it('references secrets that exist (dev) or that the operations guide tells to create (prod)', () => {
    const references = appContainers(objects)
      .flatMap(({ container }) => container.env ?? [])
      .concat(byKind('StatefulSet').flatMap((object) => podSpecOf(object)!.containers.flatMap((container) => container.env ?? [])))
      .flatMap((entry) => (entry.valueFrom?.secretKeyRef ? [entry.valueFrom.secretKeyRef] : []));
    expect(references.length).toBeGreaterThan(0);
    const secrets = byKind('Secret');
    const guide = read('docs/operations.md');
    for (const { name, key } of references) {
      if (secrets.length > 0)
        expect([name, key, Object.keys(secrets.find((secret) => secret.metadata.name === name)?.data ?? {}).includes(key)]).toEqual([
          name,
          key,
          true,
        ]);
      else expect([name, key, guide.includes(`\`${name}\``) && guide.includes(`\`${key}\``)]).toEqual([name, key, true]);
    }
  });
});

describe('k8s overlay dev, as the apps will read it', () => {
  let objects: K8sObject[];
  beforeAll(() => {
    objects = render('dev');
  });
  const decode = (value: string) => Buffer.from(value, 'base64').toString('utf8');

  /** The environment a Deployment's container gets from its ConfigMaps and Secrets. */
  function environmentOf(app: ServiceName): Record<string, string> {
    const [container] = podSpecOf(objects.find((object) => object.kind === 'Deployment' && object.metadata.name === app)!)!.containers;
    const find = (kind: string, name: string) => objects.find((object) => object.kind === kind && object.metadata.name === name)!;
    const environment: Record<string, string> = {};
    for (const source of container.envFrom ?? []) Object.assign(environment, find('ConfigMap', source.configMapRef!.name).data);
    for (const entry of container.env ?? []) {
      const ref = entry.valueFrom!.secretKeyRef!;
      environment[entry.name] = decode(find('Secret', ref.name).data![ref.key]);
    }
    return environment;
  }

  it.each(APPS)("%s: passes the app's own configuration validation", (app) => {
    expect(() => envValidator(ENV_CLASSES[app] as new () => object)(environmentOf(app))).not.toThrow();
  });

  it('has a master keyring that the secrets service accepts', () => {
    expect(parseMasterKeyring({ masterKeys: environmentOf('secrets').KV_MASTER_KEYS }).activeKeyId).toBe('dev');
  });

  it('initialises its Postgres with the compose init script, and each database URL with its password', () => {
    const composeMount = compose.services.postgres.volumes?.find((volume) => volume.includes(':/docker-entrypoint-initdb.d/'));
    const init = objects.find((object) => object.kind === 'ConfigMap' && object.metadata.name.startsWith('postgres-init-'))!;
    expect(Object.values(init.data!)).toEqual([read(composeMount!.split(':')[0])]);
    const postgres = objects.find((object) => object.kind === 'Secret' && object.metadata.name.startsWith('kv-postgres-'))!;
    for (const app of APPS.filter((name) => definition(name).database)) {
      const url = new URL(environmentOf(app).KV_DATABASE_URL);
      expect(decodeURIComponent(url.password)).toBe(decode(postgres.data![`kv-${app.replace(/^kv-/, '')}-password`]));
      expect(url.username).toBe(definition(app).database!.defaultName);
    }
  });
});

describe('k8s overlay prod, queue types', () => {
  it('makes the audit queues quorum queues, replicated over the cluster, and leaves the request queues classic', () => {
    const objects = render('prod');
    for (const app of APPS) {
      const environment = plainEnvironmentOf(objects, app);
      expect([app, environment.KV_RABBITMQ_QUEUE_TYPE, environment.KV_RABBITMQ_REQUEST_QUEUE_TYPE]).toEqual([app, 'quorum', 'classic']);
    }
  });
});

describe('docs/operations.md', () => {
  const guide = read('docs/operations.md');

  it.each(APPS)('documents every variable of %s', (app) => {
    const missing = envClassVariables(app).filter((variable) => !guide.includes(`\`${variable}\``));
    expect(missing).toEqual([]);
  });
});
