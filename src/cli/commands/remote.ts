import { defineCommand } from 'citty';
import pc from 'picocolors';
import { AsymmetricError } from '../../contract/errors.ts';
import { addRemote, listRemotes, LOCAL, removeRemote, useRemote } from '../../settings/remotes.ts';
import { jsonArgs } from '../args.ts';
import { table } from '../format.ts';
import type { Output } from '../output.ts';
import { action } from '../run.ts';

const nameArg = { name: { type: 'positional', description: `Remote name (asym remote ls lists them; ${LOCAL} is this machine)`, required: false } } as const;

function requireWord(value: unknown, what: string, usage: string): string {
  if (typeof value !== 'string' || !value) throw new AsymmetricError('INVALID_INPUT', `missing ${what}`, { hint: `usage: ${usage}` });
  return value;
}

/** A context chosen here is not the one in use while ASYM_REMOTE is set: say so. */
function warnOverride(out: Output): void {
  if (process.env.ASYM_REMOTE !== undefined) out.warn(`ASYM_REMOTE is set (${process.env.ASYM_REMOTE.trim() || 'empty: this machine'}) and overrides the remote chosen here`);
}

const add = defineCommand({
  meta: { name: 'add', description: 'Name a control plane (asym serve): asym remote add NAME URL --token-stdin [--ca FILE]; the key is read from stdin and stored in a 0600 file' },
  args: {
    ...nameArg,
    url: { type: 'positional', description: 'The control plane, http(s)://HOST:PORT', required: false },
    'token-stdin': { type: 'boolean', description: 'Read the API key from stdin (the only way: a key on the command line ends up in shell history)' },
    ca: { type: 'string', description: 'PEM file of the CA that signed the server\'s certificate (a private CA)' },
    ...jsonArgs,
  },
  async run({ args }) {
    await action(args, async (out) => {
      const usage = 'printf %s "$KEY" | asym remote add NAME URL --token-stdin';
      const name = requireWord(args.name, 'remote name', usage);
      const url = requireWord(args.url, 'URL', usage);
      if (!args['token-stdin']) throw new AsymmetricError('INVALID_INPUT', 'the key is read from stdin: pass --token-stdin', { hint: usage });
      const token = await Bun.stdin.text();
      const r = await addRemote(name, url, token, args.ca);
      out.result(r, () => out.info(`${pc.bold(name)} added (${r.url}); asym remote use ${name} makes it the one commands use`));
    });
  },
});

const use = defineCommand({
  meta: { name: 'use', description: `Make commands use this control plane; asym remote use ${LOCAL} goes back to this machine` },
  args: { ...nameArg, ...jsonArgs },
  async run({ args }) {
    await action(args, async (out) => {
      const r = await useRemote(requireWord(args.name, 'remote name', `asym remote use NAME (or ${LOCAL})`));
      out.result(r, () => out.info(r.url ? `commands now use ${pc.bold(r.name)} (${r.url})` : 'commands now use this machine'));
      warnOverride(out);
    });
  },
});

const ls = defineCommand({
  meta: { name: 'ls', description: 'List the named control planes and which one commands use (never their keys)' },
  args: { ...jsonArgs },
  async run({ args }) {
    await action(args, async (out) => {
      const remotes = listRemotes();
      out.result(remotes, () =>
        out.info(table([
          ['', 'NAME', 'URL', 'CA'].map((h) => pc.dim(h)),
          ...remotes.map((r) => [r.current ? '*' : '', pc.bold(r.name), r.url ?? pc.dim('this machine'), r.ca ?? '']),
        ])),
      );
      warnOverride(out);
    });
  },
});

const rm = defineCommand({
  meta: { name: 'rm', description: 'Forget a named control plane and its key (its clones stay on the server)' },
  args: { ...nameArg, ...jsonArgs },
  async run({ args }) {
    await action(args, async (out) => {
      const r = await removeRemote(requireWord(args.name, 'remote name', 'asym remote rm NAME'));
      out.result(r, () => out.info(`${r.name} removed; commands use ${r.current === LOCAL ? 'this machine' : r.current}`));
    });
  },
});

export default defineCommand({
  meta: { name: 'remote', description: 'Named control planes (asym serve) and which one commands use: add, use, ls, rm (ASYM_REMOTE overrides)' },
  subCommands: { add, use, ls, rm },
});
