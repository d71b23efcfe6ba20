import { defineCommand } from 'citty';
import pc from 'picocolors';
import { AsymmetricError } from '../../contract/errors.ts';
import { providerFor, remoteUrl } from '../../providers/index.ts';
import { idArg, jsonArgs, requireId } from '../args.ts';
import { table } from '../format.ts';
import { action } from '../run.ts';
import { cloneToolEnv, providerToolEnv } from '../../tools/clone-env.ts';
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
        const te = remoteUrl() ? await providerToolEnv(providerFor(), id, args.for) : cloneToolEnv(id, args.for);
        for (const n of te.notes) out.warn(n);
        out.result(te.vars, () => process.stdout.write(`${shellExports(te.vars)}\n`));
        return;
      }
      const provider = providerFor();
      if (args.user) {
        const json = await provider.userToken(id, args.user);
        out.result(json, () => out.info(JSON.stringify(json, null, 2)));
        return;
      }
      const result = await provider.tokens(id);
      out.result(result, () =>
        out.info(table(Object.entries(result).filter(([, val]) => val).map(([k, val]) => [pc.dim(k), String(val)]))),
      );
    });
  },
});
