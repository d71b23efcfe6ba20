import { defineCommand } from 'citty';
import pc from 'picocolors';
import { AsymmetricError } from '../../contract/errors.ts';
import { createKey, listKeys, revokeKey } from '../../serve/keys.ts';
import { jsonArgs } from '../args.ts';
import { table } from '../format.ts';
import { action } from '../run.ts';

/** HOST:PORT, [v6]:PORT or :PORT (all interfaces). */
export function parseListen(raw: string): { hostname: string; port: number } {
  const m = /^(?:\[([0-9a-f:]+)\]|([^:]*)):(\d{1,5})$/i.exec(raw.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || port < 0 || port > 65535) throw new AsymmetricError('INVALID_INPUT', `--listen ${raw} is not HOST:PORT`, { hint: 'e.g. --listen 127.0.0.1:7420, or --listen 0.0.0.0:7420 for every interface' });
  return { hostname: m[1] ?? (m[2] || '0.0.0.0'), port };
}

const create = defineCommand({
  meta: { name: 'create', description: 'Create an API key (a tenant); the key is printed once and stored only as a hash' },
  args: {
    name: { type: 'string', description: 'The key’s (tenant’s) name', required: false },
    'max-clones': { type: 'string', description: 'How many clones this key may hold at once (default: no limit)' },
    ...jsonArgs,
  },
  async run({ args }) {
    await action(args, async (out) => {
      if (!args.name) throw new AsymmetricError('INVALID_INPUT', 'missing --name', { hint: 'asym serve keys create --name team-a [--max-clones 10]' });
      const raw = args['max-clones'];
      if (raw !== undefined && !/^\d+$/.test(raw)) throw new AsymmetricError('INVALID_INPUT', `--max-clones ${raw} is not a whole number`);
      const { key, info } = await createKey(args.name, raw === undefined ? null : Number(raw));
      out.result({ ...info, key }, () => {
        out.info(key);
        process.stderr.write(`${pc.dim(`key ${info.name} created; it is shown only now (clients: ASYM_REMOTE_TOKEN=<key>)`)}\n`);
      });
    });
  },
});

const ls = defineCommand({
  meta: { name: 'ls', description: 'List API keys (never the keys themselves)' },
  args: { ...jsonArgs },
  async run({ args }) {
    await action(args, async (out) => {
      const keys = listKeys();
      out.result(keys, () =>
        out.info(keys.length
          ? table([['NAME', 'MAX CLONES', 'CREATED', 'REVOKED'].map((h) => pc.dim(h)), ...keys.map((k) => [k.name, k.maxClones === null ? '-' : String(k.maxClones), k.createdAt, k.revokedAt ?? ''])])
          : pc.dim('no keys; create one with asym serve keys create --name NAME')),
      );
    });
  },
});

const revoke = defineCommand({
  meta: { name: 'revoke', description: 'Revoke an API key: it is refused from the next request on (its clones stay)' },
  args: { name: { type: 'positional', required: false, description: 'Key name' }, ...jsonArgs },
  async run({ args }) {
    await action(args, async (out) => {
      if (!args.name) throw new AsymmetricError('INVALID_INPUT', 'missing key name', { hint: 'asym serve keys revoke NAME (asym serve keys ls)' });
      const info = await revokeKey(args.name);
      out.result(info, () => out.info(`key ${info.name} revoked`));
    });
  },
});

const keys = defineCommand({
  meta: { name: 'keys', description: 'API keys of this control plane: create, ls, revoke' },
  subCommands: { create, ls, revoke },
});

export default defineCommand({
  meta: {
    name: 'serve',
    description: 'Run the control plane in the foreground: an HTTP API (/v1, OpenAPI at /v1/openapi.json) over this machine’s clones, for clients with ASYM_REMOTE and an API key (asym serve keys)',
  },
  args: {
    listen: { type: 'string', description: 'HOST:PORT to listen on (default 127.0.0.1:7420; port 0 picks a free one)' },
    'public-host': { type: 'string', description: 'Host name that clients and agents reach this machine at; clones’ endpoints are advertised there (and bind beyond loopback)' },
    engine: { type: 'string', description: 'Where clones run: docker (this machine, the default) or swarm (the Docker Swarm whose manager DOCKER_HOST names); also ASYM_ENGINE' },
    'tls-cert': { type: 'string', description: 'PEM certificate: serve HTTPS (with --tls-key)' },
    'tls-key': { type: 'string', description: 'PEM private key of --tls-cert' },
    ...jsonArgs,
  },
  subCommands: { keys },
  async run({ args }) {
    if (args._.length) return; // a subcommand ran
    await action(args, async (out) => {
      const { hostname, port } = parseListen(args.listen ?? '127.0.0.1:7420');
      if (Boolean(args['tls-cert']) !== Boolean(args['tls-key'])) throw new AsymmetricError('INVALID_INPUT', '--tls-cert and --tls-key go together');
      const publicHost = args['public-host']?.trim() || null;
      if (publicHost !== null && !/^[A-Za-z0-9.-]+$|^\[?[0-9a-f:]+\]?$/i.test(publicHost)) throw new AsymmetricError('INVALID_INPUT', `--public-host ${publicHost} is not a host name`);
      if (process.env.ASYM_REMOTE) throw new AsymmetricError('INVALID_INPUT', 'ASYM_REMOTE is set: a control plane runs its clones here, not on another one', { hint: 'unset ASYM_REMOTE for asym serve' });
      if (args.engine !== undefined) {
        const { ENGINES } = await import('../../providers/index.ts');
        if (!(ENGINES as readonly string[]).includes(args.engine)) throw new AsymmetricError('INVALID_INPUT', `--engine ${args.engine} is not one of ${ENGINES.join(', ')}`);
        process.env.ASYM_ENGINE = args.engine;
      }
      // On a swarm with the routing mesh, clones are reached at any node: advertise the public host.
      if (process.env.ASYM_ENGINE === 'swarm' && publicHost && !process.env.ASYM_SWARM_HOST && process.env.ASYM_SWARM_ROUTING !== 'host') process.env.ASYM_SWARM_HOST = publicHost;
      const { startServer } = await import('../../serve/server.ts');
      const server = await startServer({
        hostname,
        port,
        publicHost,
        ...(args['tls-cert'] ? { tls: { cert: args['tls-cert'], key: args['tls-key']! } } : {}),
      });
      // One line a supervisor (or a test) can wait for, on stderr: stdout carries the result.
      process.stderr.write(`asym serve listening on ${server.url} (OpenAPI: ${server.url}/v1/openapi.json)\n`);
      await server.done;
      out.result({ url: server.url, stopped: true }, () => out.info('stopped'));
    }, { endsOnInterrupt: true });
  },
});
