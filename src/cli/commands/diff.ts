import { defineCommand } from 'citty';
import pc from 'picocolors';
import type { StateDiff } from '../../contract/diff.ts';
import { providerFor } from '../../providers/index.ts';
import { idArg, jsonArgs, requireId } from '../args.ts';
import { action } from '../run.ts';

const brief = (row: Record<string, unknown>, width = 110): string => {
  const text = JSON.stringify(row);
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
};

function human(d: StateDiff, rows: number, info: (s: string) => void): void {
  const { tables, added, removed, changed } = d.summary;
  if (!tables) {
    info(`${pc.bold(d.clone)}: no changes since ${d.from} ${pc.dim(`(state ${d.hash.to.slice(0, 12)})`)}`);
    return;
  }
  info(`${pc.bold(d.clone)} since ${d.from}: ${tables} table${tables === 1 ? '' : 's'} changed, ${pc.green(`+${added}`)} ${pc.yellow(`~${changed}`)} ${pc.red(`-${removed}`)} ${pc.dim(`(state ${d.hash.from.slice(0, 12)} → ${d.hash.to.slice(0, 12)})`)}`);
  for (const t of d.tables) {
    info(`\n${pc.bold(t.table)}  ${pc.green(`+${t.added.length}`)} ${pc.yellow(`~${t.changed.length}`)} ${pc.red(`-${t.removed.length}`)}`);
    const lines = [
      ...t.added.map((r) => `  ${pc.green('+')} ${brief(r)}`),
      ...t.changed.map((c) => `  ${pc.yellow('~')} ${brief(c.key, 50)} ${c.columns.map((col) => `${col}: ${JSON.stringify(c.before[col])?.slice(0, 40)} → ${JSON.stringify(c.after[col])?.slice(0, 40)}`).join(', ')}`),
      ...t.removed.map((r) => `  ${pc.red('-')} ${brief(r)}`),
    ];
    for (const l of lines.slice(0, rows)) info(l);
    if (lines.length > rows) info(pc.dim(`  … ${lines.length - rows} more (--rows N, or --json for all)`));
  }
}

export default defineCommand({
  meta: {
    name: 'diff',
    description: 'What changed in a clone’s data since it was spun and seeded (or since a snapshot): rows added, changed and removed per table, and a state hash',
  },
  args: {
    ...idArg,
    from: { type: 'string', description: 'Compare with this snapshot instead of the state right after spin (pristine)' },
    table: { type: 'string', description: 'Only these tables (comma-separated)' },
    rows: { type: 'string', description: 'Rows shown per table in human output (default 10)' },
    'exit-code': { type: 'boolean', description: 'Exit with 1 when anything changed, 0 when nothing did (like git diff --exit-code)' },
    ...jsonArgs,
  },
  async run({ args }) {
    await action(args, async (out) => {
      const id = requireId(args.id, 'diff');
      const d = await providerFor().diff(id, { from: args.from || undefined, tables: args.table ? String(args.table).split(',').map((s) => s.trim()).filter(Boolean) : undefined });
      const rows = Math.max(0, Number.parseInt(String(args.rows ?? '10'), 10) || 10);
      out.result(d, () => human(d, rows, (s) => out.info(s)));
      if (args['exit-code'] && d.summary.tables > 0) process.exitCode = 1;
    });
  },
});
