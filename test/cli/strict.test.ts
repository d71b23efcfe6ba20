/**
 * A strict command line: every verb rejects what it does not know before doing anything.
 * DOCKER_HOST points at nothing, so a verb that got past parsing would answer
 * DOCKER_UNAVAILABLE (or act on the registry): INVALID_INPUT here proves parsing came first.
 * The verbs are read from the real command tree, so a new command or flag is covered at once.
 */
import { afterAll, describe, expect, test } from 'bun:test';
import type { ArgsDef, CommandDef } from 'citty';
import { asym } from '../support/cli.ts';
import { tempHome } from '../support/home.ts';
import { main } from '../../src/cli/main.ts';
import { didYouMean, isVariadic } from '../../src/cli/strict.ts';

const home = tempHome('asym-strict');
afterAll(() => home.restore());
const env = { ASYM_HOME: home.dir, DOCKER_HOST: 'unix:///tmp/asym-no-such-docker.sock', ANTHROPIC_API_KEY: '' };
const run = (args: string[], extra: Record<string, string | undefined> = {}) => asym(args, { ...env, ...extra });

type Leaf = { path: string[]; args: ArgsDef };
const resolve = async <T>(v: T | (() => T | Promise<T>) | Promise<T>): Promise<T> => (typeof v === 'function' ? (v as () => T)() : v);

async function leaves(cmd: CommandDef<any>, path: string[] = []): Promise<Leaf[]> {
  const subs = (await resolve(cmd.subCommands)) as Record<string, unknown> | undefined;
  if (!subs) return [{ path, args: ((await resolve(cmd.args)) ?? {}) as ArgsDef }];
  const out: Leaf[] = [];
  for (const [name, sub] of Object.entries(subs)) out.push(...(await leaves((await resolve(sub)) as CommandDef<any>, [...path, name])));
  return out;
}

const verbs = await leaves(main);
const positionals = (a: ArgsDef) => Object.values(a).filter((d) => d.type === 'positional').length;
const firstStringFlag = (a: ArgsDef) => Object.entries(a).find(([, d]) => d.type === 'string')?.[0];

function expectInvalid(r: Awaited<ReturnType<typeof asym>>, message: RegExp | string) {
  expect(r.code).toBe(1);
  expect(r.json?.error?.code).toBe('INVALID_INPUT');
  if (typeof message === 'string') expect(r.json.error.message).toContain(message);
  else expect(r.json.error.message).toMatch(message);
  expect(r.stderr).not.toContain('    at ');
}

test('the command tree has the verbs and subcommands we expect to check', () => {
  const names = verbs.map((v) => v.path.join(' '));
  for (const n of ['spin', 'tokens', 'destroy', 'seed', 'snapshot', 'env up', 'env down', 'env diff']) expect(names).toContain(n);
});

describe.each(verbs.map((v) => [v.path.join(' '), v] as const))('asym %s', (_name, { path, args }) => {
  test('rejects an unknown flag', async () => {
    const r = await run([...path, '--no-such-flag', '--json']);
    expectInvalid(r, 'unknown flag --no-such-flag');
    expect(r.json.error.hint).toContain(`asym ${path.join(' ')} --help`);
  });

  // A variadic positional (settings set KEY=VALUE…) takes any number of words.
  if (!Object.values(args).some((d: any) => isVariadic(d))) test('rejects an extra positional argument', async () => {
    const extra = Array.from({ length: positionals(args) + 1 }, (_, i) => `extra${i}`);
    const r = await run([...path, ...extra, '--json']);
    expectInvalid(r, `unexpected argument extra${positionals(args)}`);
  });

  const flag = firstStringFlag(args);
  if (flag) {
    test(`--${flag} never takes a flag as its value`, async () => {
      const r = await run([...path, `--${flag}`, '--json']);
      expectInvalid(r, `--${flag} needs a value`);
    });
  }
});

describe('the issue’s examples', () => {
  test('spin slack --fixure acme: did you mean --fixture, and no clone is made', async () => {
    const r = await run(['spin', 'slack', '--fixure', 'acme', '--json']);
    expectInvalid(r, 'unknown flag --fixure');
    expect(r.json.error.hint).toContain('did you mean --fixture?');
    expect((await run(['ls', '--json'])).json).toEqual([]);
  });

  test('tokens <id> --usr alice: did you mean --user (never the bot’s credentials)', async () => {
    const r = await run(['tokens', 'ghost', '--usr', 'alice', '--json']);
    expectInvalid(r, 'unknown flag --usr');
    expect(r.json.error.hint).toContain('did you mean --user?');
  });

  test('--mode --json does not swallow --json', async () => {
    const r = await run(['spin', 'slack', '--mode', '--json']);
    expectInvalid(r, '--mode needs a value');
  });

  test('a flag given last with no value', async () => {
    expectInvalid(await run(['spin', 'slack', '--json', '--name']), '--name needs a value');
  });

  test('a value flag given twice', async () => {
    expectInvalid(await run(['spin', 'slack', '--name', 'a1', '--name', 'b2', '--json']), '--name given twice');
  });

  test('a value starting with - is written --flag=-value; negative counts are then refused by the verb', async () => {
    const r = await run(['logs', 'ghost', '--tail', '-5', '--json']);
    expectInvalid(r, '--tail needs a value');
    expect(r.json.error.hint).toContain('--tail=-5');
    const eq = await run(['logs', 'ghost', '--tail=-5', '--json']);
    expectInvalid(eq, '--tail -5 is not a number');
  });

  test('a boolean flag takes no value', async () => {
    expectInvalid(await run(['destroy', 'ghost', '--yes=please', '--json']), '--yes takes no value');
  });

  test('an unknown short flag', async () => {
    expectInvalid(await run(['logs', 'ghost', '-x', '--json']), 'unknown flag -x');
  });

  test('flags before the verb are not silently dropped', async () => {
    const r = await run(['--json', 'ls']);
    expectInvalid(r, 'unknown flag --json');
    expect(r.json.error.hint).toContain('asym ls --json');
  });

  test('an unknown verb or subcommand: did you mean', async () => {
    const r = await run(['spn', 'slack', '--json']);
    expectInvalid(r, 'unknown command spn');
    expect(r.json.error.hint).toContain('did you mean spin?');
    const e = await run(['env', 'upp', '--json']);
    expectInvalid(e, 'unknown command env upp');
    expect(e.json.error.hint).toContain('did you mean up?');
  });

  test('snapshot ls takes one argument fewer than snapshot <id> <name>', async () => {
    expectInvalid(await run(['snapshot', 'ls', 'ghost', 'extra', '--json']), 'unexpected argument extra for asym snapshot ls');
  });

  test('after --, everything is a positional argument', async () => {
    expectInvalid(await run(['status', '--json', '--', 'a', 'b']), 'unexpected argument b');
  });
});

test.each([
  ['--fixure', '--fixture'],
  ['--usr', '--user'],
  ['--fix', '--fixture'],
  ['--portrange', '--port-range'],
  ['-x', undefined],
  ['--banana', undefined],
])('did you mean: %s → %s', (word, guess) => {
  expect(didYouMean(word, ['--fixture', '--user', '--port-range', '--json', '-f'])).toBe(guess);
});

describe('flags that parse still reach the verb', () => {
  test.each([
    [['spin', 'slack', '--mode=nosuch', '--json'], 'MODE_NOT_FOUND'],
    [['spin', 'slack', '--port-range', '5000-4000', '--json'], 'INVALID_INPUT'],
    [['spin', 'slack', '--portRange', '5000-4000', '--json'], 'INVALID_INPUT'],
    [['logs', 'ghost', '-f', '--tail', '5', '--service', 'api', '--json'], 'CLONE_NOT_FOUND'],
    [['destroy', 'ghost', '-y', '--json'], 'CLONE_NOT_FOUND'],
    [['diff', 'ghost', '--exit-code', '--rows', '3', '--json'], 'CLONE_NOT_FOUND'],
    [['snapshot', 'rm', 'ghost', 'snap', '--json'], 'CLONE_NOT_FOUND'],
    [['env', 'down', 'ghost', '--destroy', '--yes', '--json'], 'ENVIRONMENT_NOT_FOUND'],
    [['status', '--json', '--', 'ghost'], 'CLONE_NOT_FOUND'],
    [['seed', 'ghost', '--no-ai', '--fixture', 'acme', '--json'], 'CLONE_NOT_FOUND'],
  ])('asym %p → %s', async (args, code) => {
    const r = await run(args);
    expect(r.code).toBe(1);
    expect(r.json?.error?.code).toBe(code);
    if (code === 'INVALID_INPUT') expect(r.json.error.message).not.toMatch(/unknown flag|needs a value|unexpected argument/);
  });
});

describe('variadic positionals', () => {
  test('settings set takes several KEY=VALUE words', async () => {
    const home = tempHome('asym-variadic');
    try {
      const r = await asym(['settings', 'set', 'pull=never', 'portRange=43000-43100', '--json'], { ASYM_HOME: home.dir, ASYM_PULL: undefined, ASYM_PORT_RANGE: undefined });
      expect(r.code).toBe(0);
      expect(r.json.settings.pull.value).toBe('never');
      expect(r.json.settings.portRange.value).toBe('43000-43100');
    } finally {
      home.restore();
    }
  });
});
