import * as p from '@clack/prompts';
import pc from 'picocolors';
import { joinEnvClock } from '../../env/env-clock.ts';
import { defineCommand } from 'citty';
import * as v from 'valibot';
import { AsymmetricError } from '../../contract/errors.ts';
import { CloneSpecSchema, type CloneSpec } from '../../contract/clone.ts';
import { AI_VOLUMES, type SeedSpec } from '../../contract/seed.ts';
import { providerFor } from '../../providers/index.ts';
import { fixturesOf, getTemplate, listTemplates } from '../../templates/catalog.ts';
import { parseInput, jsonArgs } from '../args.ts';
import { printInstance } from '../format.ts';
import { cachedFidelity } from '../../verify/cache.ts';
import { fidelityLine } from '../../verify/summary.ts';
import { action } from '../run.ts';

/** The wizard shows the last measured fidelity (asym verify) next to each template; it never gates spin. */
function withFidelity(name: string, description: string): string {
  const f = cachedFidelity(name);
  return f ? `${description} · fidelity ${fidelityLine(f)}` : description;
}
import type { Output } from '../output.ts';

export const seedArgs = {
  fixture: { type: 'string', description: 'Load a deterministic fixture pack (asym templates lists them)' },
  ai: { type: 'boolean', description: 'Generate data with an LLM (needs ANTHROPIC_API_KEY)' },
  entities: { type: 'string', description: 'AI seed: comma-separated entities, e.g. users,channels' },
  volume: { type: 'string', description: `AI seed: ${AI_VOLUMES.join('|')} or a number of records` },
  model: { type: 'string', description: 'AI seed: model name (default: the template’s)' },
  prompt: { type: 'string', description: 'AI seed: a steering brief' },
  pack: { type: 'string', description: 'Load a pack saved in this home by seed --save-as (the whole state it holds; no model call)' },
} as const;

export function seedFromArgs(a: { fixture?: string; ai?: boolean; entities?: string; volume?: string; model?: string; prompt?: string; pack?: string }): SeedSpec | undefined {
  // Checked first: which seed was meant decides which later error (e.g. AI_KEY_MISSING) is true.
  if (a.fixture !== undefined && a.ai) throw new AsymmetricError('INVALID_INPUT', 'choose one of --fixture or --ai', { hint: 'a clone is seeded from a fixture pack or by an LLM, not both' });
  const aiDetails = a.entities || a.volume || a.model || a.prompt;
  if (a.pack !== undefined) {
    if (a.fixture !== undefined || a.ai || aiDetails) throw new AsymmetricError('INVALID_INPUT', '--pack goes alone', { hint: 'a saved pack is a whole state: no --fixture or --ai with it' });
    return { pack: a.pack };
  }
  if (!a.fixture && !a.ai && !aiDetails) return undefined;
  if (aiDetails && !a.ai) throw new AsymmetricError('INVALID_INPUT', '--entities/--volume/--model/--prompt need --ai');
  const volume = a.volume === undefined ? undefined : /^\d+$/.test(a.volume) ? Number(a.volume) : a.volume;
  const ai = a.ai ? (aiDetails ? { entities: a.entities?.split(',').map((s) => s.trim()).filter(Boolean), volume, model: a.model, prompt: a.prompt } : true) : undefined;
  const spec = JSON.parse(JSON.stringify({ fixture: a.fixture, ai }));
  return spec;
}

function parsePortRange(raw: string | undefined): CloneSpec['portRange'] {
  if (!raw) return undefined;
  const m = /^(\d+)-(\d+)$/.exec(raw.trim());
  if (!m) throw new AsymmetricError('INVALID_INPUT', `--port-range ${raw} is not a range`, { hint: 'use FROM-TO, e.g. 42000-42100' });
  return { from: Number(m[1]), to: Number(m[2]) };
}

async function wizard(out: Output, partial: Partial<CloneSpec>): Promise<CloneSpec> {
  const cancelled = () => new AsymmetricError('CANCELLED', 'cancelled');
  const ask = async <T>(q: Promise<T>): Promise<Exclude<T, symbol>> => {
    const r = await q;
    if (p.isCancel(r)) throw cancelled();
    return r as Exclude<T, symbol>;
  };
  const o = { output: process.stderr };
  p.intro(pc.bold('asym spin'), o);
  const templates = listTemplates();
  const template = await ask(
    p.select({ ...o, message: 'Template', options: templates.map((t) => ({ value: t.manifest.name, label: t.manifest.name, hint: withFidelity(t.manifest.name, t.manifest.description) })) }),
  );
  const t = getTemplate(template);
  const mode = t.manifest.modes.length > 1
    ? await ask(p.select({ ...o, message: 'Mode', options: t.manifest.modes.map((m) => ({ value: m.name, label: m.name, hint: m.description ?? m.services.join(', ') })) }))
    : t.manifest.modes[0]!.name;
  const name = await ask(p.text({ ...o, message: 'Name (empty: generated)', placeholder: `${template}-xxxxxx`, validate: (s) => (!s || v.is(CloneSpecSchema.entries.name, s) ? undefined : 'lowercase letters, digits and dashes, 2-40 chars') }));
  const fixtures = fixturesOf(t);
  const aiHint = process.env.ANTHROPIC_API_KEY ? t.manifest.seed.ai.entities.join(', ') : 'needs ANTHROPIC_API_KEY';
  const choice = await ask(p.select({
    ...o,
    message: 'Seed data',
    options: [
      { value: '', label: 'empty' },
      ...fixtures.map((f) => ({ value: `fixture:${f}`, label: `fixture: ${f}`, hint: 'deterministic' })),
      { value: 'ai', label: 'AI-generated', hint: aiHint },
    ],
  }));
  let seed: SeedSpec | undefined;
  if (choice === 'ai') {
    const volume = await ask(p.select({ ...o, message: 'How much data?', options: AI_VOLUMES.map((vol) => ({ value: vol, label: vol })) }));
    const prompt = await ask(p.text({ ...o, message: 'Steering brief (optional)', placeholder: 'e.g. a fintech startup of 40 people' }));
    seed = { ai: { volume, ...(prompt ? { prompt } : {}) } };
  } else if (choice) seed = { fixture: choice.slice('fixture:'.length) };
  const expose = await ask(p.confirm({ ...o, message: 'Expose on all interfaces (not just localhost)?', initialValue: false }));
  return { ...partial, template, mode, ...(name ? { name } : {}), ...(seed ? { seed } : {}), expose };
}

export default defineCommand({
  meta: { name: 'spin', description: 'Create and start a clone. Scripted: asym spin <template> --json (no prompts).' },
  args: {
    template: { type: 'positional', description: 'Template (asym templates); omitted on a terminal: a wizard', required: false },
    mode: { type: 'string', description: 'Mode (default: the template’s first)' },
    name: { type: 'string', description: 'Clone id (default: generated)' },
    group: { type: 'string', description: 'Environment to join (created if new)' },
    'port-range': { type: 'string', description: 'Host ports to allocate from, FROM-TO' },
    expose: { type: 'boolean', description: 'Bind on all interfaces instead of 127.0.0.1' },
    tls: { type: 'boolean', description: 'Serve the API over HTTPS with a certificate of this home’s local CA (asym tokens --env prints the trust variables)' },
    from: { type: 'string', description: 'Bring back a snapshot file (asym snapshot export): its state, world and clock, with new tokens; the template defaults to the file’s', valueHint: 'FILE' },
    ...seedArgs,
    ...jsonArgs,
  },
  async run({ args }) {
    await action(args, async (out) => {
      const partial = {
        mode: args.mode,
        name: args.name,
        group: args.group,
        portRange: parsePortRange(args['port-range']),
        seed: seedFromArgs(args),
        expose: args.expose || undefined,
        tls: args.tls || undefined,
      };
      if (args.from !== undefined) {
        if (partial.seed) throw new AsymmetricError('INVALID_INPUT', '--from brings a whole state: no seed flags with it', { hint: 'asym spin [template] --from FILE [--name N]' });
        const started = performance.now();
        const clone = await providerFor({ onProgress: (s) => out.progress(s) }).createFrom(JSON.parse(JSON.stringify({ ...partial, seed: undefined, ...(args.template ? { template: args.template } : {}) })), args.from);
        out.done('ready');
        out.result(clone, () => printInstance(clone, (performance.now() - started) / 1000));
        return;
      }
      let spec: CloneSpec;
      if (args.template) spec = parseInput(CloneSpecSchema, JSON.parse(JSON.stringify({ ...partial, template: args.template })), 'clone spec');
      else if (out.interactive) spec = await wizard(out, JSON.parse(JSON.stringify(partial)));
      else throw new AsymmetricError('INVALID_INPUT', 'missing template', { hint: 'asym spin <template> (asym templates lists them); provide all values via flags when not on a terminal' });
      const started = performance.now();
      const provider = providerFor({ onProgress: (s) => out.progress(s) });
      const clone = await provider.create(spec);
      // An environment's clones share one clock: joining one, take its time (a control plane does this itself).
      if (spec.group && provider.kind !== 'cloud') await joinEnvClock(spec.group, clone.id).catch((e) => out.warn(`the clone's clock could not join ${spec.group}'s: ${(e as Error).message} (asym env clock ${spec.group} set … realigns)`));
      out.done('ready');
      if (clone.expose && clone.endpoints.web) {
        out.warn(`the web view (${clone.endpoints.web}) acts as any person of the workspace for anyone who can reach this machine`);
      }
      out.result(clone, () => {
        printInstance(clone, (performance.now() - started) / 1000);
        const sdk = getTemplate(clone.template).manifest.sdk;
        if (sdk) process.stdout.write(`  ${pc.dim('point')} ${sdk.package} ${pc.dim('at')} ${clone.endpoints.api}${sdk.baseUrlSuffix}\n`);
      });
    });
  },
});
