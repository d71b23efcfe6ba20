import { defineCommand } from 'citty';
import pc from 'picocolors';
import { AsymmetricError } from '../../contract/errors.ts';
import { LocalDockerProvider, settled } from '../../docker/provider.ts';
import { getClone } from '../../registry/registry.ts';
import { idArg, jsonArgs, requireId } from '../args.ts';
import { table } from '../format.ts';
import { action } from '../run.ts';
import { cloneToolEnv } from '../../tools/clone-env.ts';
import { shellExports } from '../../tools/tool-env.ts';

export default defineCommand({
  meta: { name: 'tokens', description: 'Print a clone’s credentials; --user NAME mints a user token for any user (act as a human)' },
  args: {
    ...idArg,
    user: { type: 'string', description: 'Mint a user token for this user (name or id)' },
    env: { type: 'boolean', description: 'Print the environment an agent’s tools need (shell export lines; --json: an object)' },
    for: { type: 'string', description: 'With --env: only this tool’s variables (e.g. notion-mcp, hubspot-mcp, gh, slack-mcp)' },
    ...jsonArgs,
  },
  async run({ args }) {
    await action(args, async (out) => {
      const id = requireId(args.id, 'tokens');
      if (args.for !== undefined && !args.env) throw new AsymmetricError('INVALID_INPUT', '--for needs --env', { hint: `asym tokens ${id} --env --for TOOL` });
      if (args.env) {
        const te = cloneToolEnv(id, args.for);
        for (const n of te.notes) out.warn(n);
        out.result(te.vars, () => process.stdout.write(`${shellExports(te.vars)}\n`));
        return;
      }
      const record = settled(getClone(id));
      if (!record.tokens) throw new AsymmetricError('PROVISION_FAILED', `clone ${id} has no tokens (state ${record.state})`, { hint: 'spin it again' });
      if (args.user) {
        if (record.state !== 'running') throw new AsymmetricError('CLONE_NOT_RUNNING', `clone ${id} is ${record.state}`, { hint: `asym start ${id}` });
        const { status, json } = await new LocalDockerProvider().admin(record).call(`${record.template}/user-token`, { user: args.user });
        if (status === 404) throw new AsymmetricError('INVALID_INPUT', `clone ${id} has no user ${args.user}`, { hint: 'use a user name or id the clone knows' });
        if (status !== 200) throw new AsymmetricError('NOT_SUPPORTED', `clone ${id} cannot mint user tokens (HTTP ${status}): ${JSON.stringify(json).slice(0, 200)}`);
        out.result(json, () => out.info(JSON.stringify(json, null, 2)));
        return;
      }
      const result = { id, ...record.tokens, adminSecret: record.adminSecret };
      out.result(result, () =>
        out.info(table(Object.entries(result).filter(([, val]) => val).map(([k, val]) => [pc.dim(k), String(val)]))),
      );
    });
  },
});
