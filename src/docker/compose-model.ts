/**
 * Compose models as plain data. These functions are pure (no Docker, no filesystem), so
 * they are snapshot-testable; compose.ts writes their output as JSON (which is YAML) next
 * to the clone's state, where a user can run `docker compose -f … logs` by hand.
 */
import type { CloneRecord } from '../contract/clone.ts';
import type { TemplateManifest } from '../contract/manifest.ts';
import { CLONE_LABEL, HOME_LABEL, INFRA_LABEL_VALUE, PG_ALIAS, REDIS_ALIAS, SERVICE_LABEL, TEMPLATE_LABEL } from './labels.ts';

export interface ComposeService {
  image: string;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  labels: Record<string, string>;
  networks: Record<string, { aliases?: string[] } | null>;
  volumes?: string[];
  healthcheck?: { test: string[]; interval: string; timeout: string; retries: number; start_period?: string } | { disable: true };
  restart?: string;
  stop_grace_period?: string;
  shm_size?: string;
  extra_hosts?: string[];
}

export interface ComposeModel {
  name: string;
  services: Record<string, ComposeService>;
  networks: Record<string, { name: string; external?: boolean; labels?: Record<string, string> }>;
  volumes?: Record<string, { name: string; labels: Record<string, string> }>;
}

export interface InfraModelInput {
  project: string;
  network: string;
  postgresImage: string;
  redisImage: string;
  password: string;
}

export function infraModel(i: InfraModelInput): ComposeModel {
  const labels = { [CLONE_LABEL]: INFRA_LABEL_VALUE };
  return {
    name: i.project,
    services: {
      postgres: {
        image: i.postgresImage,
        // Clones are disposable test fixtures: trade crash durability for speed, and allow
        // many clones (each holds a small pool) on one server.
        command: ['postgres', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=1000', '-c', 'shared_buffers=128MB'],
        environment: { POSTGRES_PASSWORD: i.password, POSTGRES_USER: 'postgres' },
        ports: ['127.0.0.1::5432'],
        labels: { ...labels, [SERVICE_LABEL]: 'postgres' },
        networks: { infra: { aliases: [PG_ALIAS] } },
        volumes: ['pgdata:/var/lib/postgresql/data'],
        // No Docker health check: an exec probe costs ~125 ms of CPU in dockerd/containerd/runc
        // every interval, forever, on an idle machine. The CLI probes Postgres and Redis itself
        // when it needs them (infra.ts: probeInfra), which costs nothing while nobody asks.
        healthcheck: { disable: true },
        restart: 'unless-stopped',
        shm_size: '256m',
      },
      redis: {
        image: i.redisImage,
        command: ['redis-server', '--protected-mode', 'no', '--bind', '0.0.0.0', '--save', '60', '1', '--dir', '/data'],
        ports: ['127.0.0.1::6379'],
        labels: { ...labels, [SERVICE_LABEL]: 'redis' },
        networks: { infra: { aliases: [REDIS_ALIAS] } },
        volumes: ['redisdata:/data'],
        healthcheck: { disable: true }, // probed on demand, as Postgres above
        restart: 'unless-stopped',
      },
    },
    networks: { infra: { name: i.network, labels } },
    volumes: {
      pgdata: { name: `${i.project}-pgdata`, labels },
      redisdata: { name: `${i.project}-redisdata`, labels },
    },
  };
}

export interface CloneModelInput {
  record: CloneRecord;
  manifest: TemplateManifest;
  /** Service name → resolved image reference. */
  images: Record<string, string>;
  network: string;
  databaseUrl: string;
  redisUrl: string;
  adminSecret: string;
  /** Identity of the ASYM_HOME that owns the clone (see HOME_LABEL). */
  homeId?: string;
  /** Host directory with the clone's cert.pem and key.pem (spin --tls): the API serves HTTPS. */
  tlsDir?: string;
}

/** Where a --tls clone's certificate directory is mounted (read-only) in its API container. */
export const TLS_MOUNT = '/run/asym-tls';

export function servicesForMode(manifest: TemplateManifest, mode: string): string[] {
  const m = manifest.modes.find((x) => x.name === mode);
  return m ? [...m.services] : [];
}

/** A clone's published port as a URL; `host` is the record's (a Swarm node), else this machine's loopback. */
export function publicUrl(port: number, tls = false, host?: string): string {
  return `${tls ? 'https' : 'http'}://${host ?? '127.0.0.1'}:${port}`;
}

/**
 * A clone's service on the shared infra network. Every clone's services share that network,
 * so a bare service name ("api") would be ambiguous; this alias is unique per clone.
 */
export function serviceAlias(project: string, service: string): string {
  return `${project}-${service}`;
}

export function cloneModel(i: CloneModelInput): ComposeModel {
  const { record, manifest } = i;
  const services: Record<string, ComposeService> = {};
  const names = servicesForMode(manifest, record.mode);
  const apiName = names.find((n) => manifest.services[n]!.endpoint === 'api') ?? names[0];
  // How the clone's other services (e.g. Slack's web view) reach its API inside the network.
  const apiUrl = apiName ? `http://${serviceAlias(record.composeProject, apiName)}:${manifest.services[apiName]!.port}` : '';
  for (const name of names) {
    const svc = manifest.services[name]!;
    const hostPort = record.ports[name];
    const bind = record.expose ? '0.0.0.0' : '127.0.0.1';
    // TLS terminates in the API's own Bun server (Bun.serve tls), so no proxy joins the clone.
    const tls = i.tlsDir && name === apiName ? { ASYM_TLS_CERT: `${TLS_MOUNT}/cert.pem`, ASYM_TLS_KEY: `${TLS_MOUNT}/key.pem` } : null;
    services[name] = {
      image: i.images[name]!,
      environment: {
        ...svc.env,
        PORT: String(svc.port),
        DATABASE_URL: i.databaseUrl,
        REDIS_URL: i.redisUrl,
        REDIS_PREFIX: record.redisPrefix,
        ASYM_ADMIN_SECRET: i.adminSecret,
        ASYM_CLONE_ID: record.id,
        ASYM_PUBLIC_URL: hostPort ? publicUrl(hostPort, Boolean(tls), record.host) : '',
        ASYM_API_URL: apiUrl,
        ...tls,
      },
      ...(tls ? { volumes: [`${i.tlsDir}:${TLS_MOUNT}:ro`] } : {}),
      ...(hostPort ? { ports: [`${bind}:${hostPort}:${svc.port}`] } : {}),
      labels: { [CLONE_LABEL]: record.id, [SERVICE_LABEL]: name, [TEMPLATE_LABEL]: manifest.name, ...(i.homeId ? { [HOME_LABEL]: i.homeId } : {}) },
      networks: { infra: { aliases: [serviceAlias(record.composeProject, name)] } },
      // Lets a clone call back to the host (Slack events to a bot running on the laptop).
      extra_hosts: ['host.docker.internal:host-gateway'],
      // No Docker health check on clone services, and the image's own HEALTHCHECK (which runs
      // '/app/_kit/healthcheck.ts' for anyone who starts the image by hand) is switched off:
      // each exec probe costs ~125 ms of CPU in dockerd/containerd/runc, so an idle clone
      // probed every few seconds costs 2-5% of a core, and at 40 clones the probes themselves
      // time out. asym probes health over HTTP itself (spin/start wait for /__asym/health,
      // status probes it live), and Docker never acts on 'unhealthy' anyway.
      healthcheck: { disable: true },
      restart: 'unless-stopped',
      stop_grace_period: '3s',
    };
  }
  return { name: record.composeProject, services, networks: { infra: { name: i.network, external: true } } };
}
