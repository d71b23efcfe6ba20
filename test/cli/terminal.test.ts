/** What the CLI writes when stdout is a pipe, a closed pipe, or a JSON reader. */
import { afterAll, describe, expect, test } from 'bun:test';
import { AsymmetricError } from '../../src/contract/errors.ts';
import { createOutput } from '../../src/cli/output.ts';
import { CLI, asym } from '../support/cli.ts';
import { tempHome } from '../support/home.ts';

const home = tempHome('asym-terminal');
afterAll(() => home.restore());
const env = { ASYM_HOME: home.dir };
const ESC = '\x1b';

/** Run the CLI with stdout on a pipe whose reader is already closed (python makes one). */
function withClosedStdout(args: string[]): { code: number; stderr: string } {
  const script = [
    'import os, subprocess, sys',
    'r, w = os.pipe(); os.close(r)',
    'p = subprocess.run(sys.argv[1:], stdout=w, stderr=subprocess.PIPE)',
    'sys.stderr.write(p.stderr.decode()); sys.exit(p.returncode)',
  ].join('\n');
  const p = Bun.spawnSync(['python3', '-c', script, 'bun', CLI, ...args], { env: { ...process.env, ...env, NO_COLOR: '1' }, stderr: 'pipe' });
  return { code: p.exitCode ?? -1, stderr: p.stderr.toString() };
}

describe('a closed stdout (asym … | head -1)', () => {
  test.each([[['templates']], [['templates', '--json']], [['--help']], [['ls']]])('asym %p exits quietly', (args) => {
    const r = withClosedStdout(args);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  test('a failing verb keeps its exit code', () => {
    const r = withClosedStdout(['status', 'ghost', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
  });
});

describe('--help colour', () => {
  const plain = { ...env, NO_COLOR: undefined, FORCE_COLOR: undefined, CI: undefined, TEST: undefined, TERM: 'xterm-256color' };

  test.each([[['--help']], [['spin', '--help']], [['env', 'down', '--help']]])('asym %p on a pipe: no colour', async (args) => {
    const r = await asym(args, plain);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('USAGE');
    expect(r.stdout).not.toContain(ESC);
  });

  /** `script` gives the CLI a terminal, so colour is on unless NO_COLOR says otherwise. */
  const onTty = (extra: Record<string, string | undefined>) => {
    const p = Bun.spawnSync(['script', '-qec', `bun ${CLI} spin --help`, '/dev/null'], { env: { ...process.env, ...plain, ...extra }, stdout: 'pipe', stderr: 'pipe' });
    return p.stdout.toString();
  };

  test('on a terminal: colour, unless NO_COLOR is set to anything', () => {
    expect(onTty({})).toContain(`${ESC}[`);
    expect(onTty({ NO_COLOR: 'yes' })).not.toContain(ESC);
    expect(onTty({ NO_COLOR: '1' })).not.toContain(ESC);
  });
});

describe('no terminal escapes inside JSON', () => {
  test('user input echoed into an error', async () => {
    const r = await asym(['status', `${ESC}[31mghost${ESC}[0m`, '--json'], env);
    expect(r.json.error.code).toBe('CLONE_NOT_FOUND');
    expect(r.stdout).not.toContain('\\u001b');
    expect(r.json.error.message).toBe('no clone named ghost');
  });

  test('captured tool output in error details (compose logs)', () => {
    const written: string[] = [];
    const write = process.stdout.write;
    process.stdout.write = ((s: string) => (written.push(s), true)) as typeof process.stdout.write;
    try {
      createOutput(true).error(new AsymmetricError('UNHEALTHY', `api ${ESC}[31munhealthy${ESC}[0m`, {
        hint: `${ESC}[1masym logs x${ESC}[22m`,
        details: { service: 'api', logs: `${ESC}[32mready${ESC}[0m\n${ESC}]8;;http://x${ESC}\\link${ESC}]8;;${ESC}\\`, nested: [{ line: `${ESC}[2Kdone` }] },
      }));
      createOutput(true).result({ results: [{ error: { message: `${ESC}[31mfailed${ESC}[39m` } }] });
    } finally {
      process.stdout.write = write;
    }
    const text = written.join('');
    expect(text).not.toContain('\\u001b');
    const [err, res] = text.trim().split(/\n(?=\{)/).map((s) => JSON.parse(s));
    expect(err.error).toEqual({ code: 'UNHEALTHY', message: 'api unhealthy', hint: 'asym logs x', details: { service: 'api', logs: 'ready\nlink', nested: [{ line: 'done' }] } });
    expect(res.results[0].error.message).toBe('failed');
  });
});
