/**
 * Invocations a script cannot mean: destroy with nobody to answer "are you sure", and a seed
 * that is both a fixture and an LLM. Refused before any lookup or Docker call (DOCKER_HOST
 * points at nothing, so a verb that went further would say DOCKER_UNAVAILABLE).
 */
import { afterAll, describe, expect, test } from 'bun:test';
import { asym } from '../support/cli.ts';
import { tempHome } from '../support/home.ts';

const home = tempHome('asym-refuse');
afterAll(() => home.restore());
const env = { ASYM_HOME: home.dir, DOCKER_HOST: 'unix:///tmp/asym-no-such-docker.sock', ANTHROPIC_API_KEY: '' };
const run = (args: string[]) => asym(args, env);

function expectInvalid(r: Awaited<ReturnType<typeof asym>>, message: string) {
  expect(r.code).toBe(1);
  expect(r.json?.error?.code).toBe('INVALID_INPUT');
  expect(r.json.error.message).toContain(message);
}

describe('questions scripts cannot answer', () => {
  test('destroy without --yes off a terminal refuses and names --yes', async () => {
    const r = await run(['destroy', 'ghost', '--json']);
    expectInvalid(r, 'destroy needs --yes');
    expect(r.json.error.hint).toContain('asym destroy ghost --yes');
    const human = await run(['destroy', 'ghost']);
    expect(human.code).toBe(1);
    expect(human.stderr).toContain('--yes');
  });

  test('env down --destroy without --yes off a terminal refuses; a plain env down needs no --yes', async () => {
    expectInvalid(await run(['env', 'down', 'ghost', '--destroy', '--json']), 'env down --destroy needs --yes');
    expect((await run(['env', 'down', 'ghost', '--json'])).json.error.code).toBe('ENVIRONMENT_NOT_FOUND');
  });

  test.each([
    [['seed', 'ghost', '--fixture', 'acme', '--ai', '--json']],
    [['spin', 'slack', '--fixture', 'acme', '--ai', '--json']],
  ])('%p: choose one of --fixture or --ai, before anything else', async (args) => {
    expectInvalid(await run(args), 'choose one of --fixture or --ai');
  });
});
