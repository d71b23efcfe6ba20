import { defineCommand } from 'citty';
import pc from 'picocolors';
import { parseAssignments, requireKey, resolveSettings, settingKeys, settingsPath, updateSettings, SETTING_KEYS, type ResolvedSetting, type SettingKey } from '../../settings/settings.ts';
import { AsymmetricError } from '../../contract/errors.ts';
import { variadic } from '../strict.ts';
import { jsonArgs } from '../args.ts';
import { table } from '../format.ts';
import type { Output } from '../output.ts';
import { action } from '../run.ts';

function sourceText(r: ResolvedSetting): string {
  return r.source === 'env' ? `env ${r.env}` : r.source === 'settings' ? 'settings file' : 'default';
}

/** The effective settings, as JSON or a table; a note for each key an env var overrides. */
function show(out: Output, changed: Partial<Record<SettingKey, string>> = {}): void {
  const settings = resolveSettings();
  const path = settingsPath();
  out.result({ path, settings }, () => {
    out.info(table([
      ['KEY', 'VALUE', 'FROM'].map((h) => pc.dim(h)),
      ...settingKeys.map((k) => [pc.bold(k), settings[k].value, pc.dim(sourceText(settings[k]))]),
    ]));
    out.info(pc.dim(`settings file: ${path}`));
  });
  for (const [k, saved] of Object.entries(changed) as [SettingKey, string][]) {
    if (settings[k].source === 'env' && settings[k].value !== saved) out.warn(`${k} is saved, but ${settings[k].env}=${settings[k].value} is set in the environment and overrides it`);
  }
}

const set = defineCommand({
  meta: { name: 'set', description: 'Change settings: asym settings set postgresImage=… redisImage=… bunImage=… pull=never portRange=A-B' },
  // One or more KEY=VALUE pairs (citty keeps them all in args._); all are checked before any is written.
  args: { pairs: variadic({ type: 'positional', required: false, description: `KEY=VALUE… (keys: ${settingKeys.join(', ')})` } as const), ...jsonArgs },
  async run({ args }) {
    await action(args, async (out) => {
      const changes = parseAssignments(args._.map(String));
      await updateSettings((s) => Object.assign(s, changes));
      show(out, Object.fromEntries(Object.entries(changes).map(([k, v]) => [k, SETTING_KEYS[k as SettingKey].show(v)])));
    });
  },
});

const unset = defineCommand({
  meta: { name: 'unset', description: 'Remove settings from the file, back to their defaults: asym settings unset pull portRange' },
  args: { keys: variadic({ type: 'positional', required: false, description: 'KEY…' } as const), ...jsonArgs },
  async run({ args }) {
    await action(args, async (out) => {
      const keys = args._.map((k) => requireKey(String(k)));
      if (!keys.length) throw new AsymmetricError('INVALID_INPUT', 'nothing to unset', { hint: `keys: ${settingKeys.join(', ')}` });
      await updateSettings((s) => {
        for (const k of keys) delete s[k];
      });
      show(out);
    });
  },
});

export default defineCommand({
  meta: {
    name: 'settings',
    description: `Your settings (${settingKeys.join(', ')}) and where each comes from: environment, ~/.asymmetric/settings.json or default. asym settings set KEY=VALUE…`,
  },
  args: { ...jsonArgs },
  subCommands: { set, unset },
  async run({ args }) {
    // citty runs this after a subcommand too; only the bare `asym settings` shows.
    if (args._.length) return;
    await action(args, async (out) => show(out));
  },
});
