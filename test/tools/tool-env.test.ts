import { expect, test } from 'bun:test';
import { isAsymmetricError } from '../../src/contract/errors.ts';
import { mergeToolEnvs, shellExports, TOOLS, toolEnv } from '../../src/tools/tool-env.ts';

const tokens = { appId: 'A1', workspaceId: 'T1', botUserId: 'U1', adminUserId: 'U2', botToken: 'xoxb-1', userToken: 'xoxp-1' };
const files = { caFile: '/h/tls/ca.pem', bundleFile: '/h/tls/ca-bundle.pem', preloadFile: '/t/_tools/host-map.cjs' };

test('every template lists the SDK first, then its tools', () => {
  for (const [template, tools] of Object.entries(TOOLS)) {
    expect(tools[0]!.name).toBe('sdk');
    expect(new Set(tools.map((t) => t.name)).size).toBe(tools.length);
    expect(['slack', 'github', 'stripe', 'hubspot', 'notion']).toContain(template);
  }
});

test('one tool: its own variables, the host map and preload when it hard-codes the vendor host', () => {
  const e = toolEnv('slack', { api: 'http://127.0.0.1:41001', tokens }, files, { tls: false, only: 'slack-mcp' });
  expect(e.vars).toEqual({
    ASYM_API_URL: 'http://127.0.0.1:41001',
    ASYM_TOKEN: 'xoxb-1',
    SLACK_BOT_TOKEN: 'xoxb-1',
    SLACK_TEAM_ID: 'T1',
    ASYM_HOST_MAP: 'slack.com=http://127.0.0.1:41001',
    NODE_OPTIONS: '--require /t/_tools/host-map.cjs',
  });
});

test('gh: GH_HOST is host:port; trust variables only for a --tls clone; a note when it is not', () => {
  const plain = toolEnv('github', { api: 'http://127.0.0.1:41002', tokens }, files, { tls: false, only: 'gh' });
  expect(plain.vars).toMatchObject({ GH_HOST: '127.0.0.1:41002', GH_ENTERPRISE_TOKEN: 'xoxb-1' });
  expect(plain.vars.SSL_CERT_FILE).toBeUndefined();
  expect(plain.notes.join()).toContain('--tls');
  const tls = toolEnv('github', { api: 'https://127.0.0.1:41002', tokens }, files, { tls: true, only: 'gh' });
  expect(tls.vars).toMatchObject({ SSL_CERT_FILE: files.bundleFile, NODE_EXTRA_CA_CERTS: files.caFile });
  expect(tls.notes).toEqual([]);
});

test('an unknown --for is INVALID_INPUT naming the tools', () => {
  try {
    toolEnv('notion', { api: 'http://x:1', tokens }, files, { tls: false, only: 'nope' });
    throw new Error('expected a throw');
  } catch (e) {
    expect(isAsymmetricError(e) && e.code).toBe('INVALID_INPUT');
    expect((e as { hint: string }).hint).toBe('tools: sdk, notion-mcp');
  }
});

test('an environment merges templates (prefixed ASYM_* names, one host map) and refuses two of one template', () => {
  const s = toolEnv('slack', { api: 'http://127.0.0.1:1', tokens }, files, { tls: false, prefix: true });
  const g = toolEnv('github', { api: 'http://127.0.0.1:2', tokens }, files, { tls: false, prefix: true });
  const merged = mergeToolEnvs([s, g]);
  expect(merged.ASYM_SLACK_API_URL).toBe('http://127.0.0.1:1');
  expect(merged.ASYM_GITHUB_API_URL).toBe('http://127.0.0.1:2');
  expect(merged.ASYM_HOST_MAP).toBe('slack.com=http://127.0.0.1:1,api.github.com=http://127.0.0.1:2');
  expect(() => mergeToolEnvs([s, s])).toThrow(/two slack clones/);
});

test('shell lines quote every value literally', () => {
  expect(shellExports({ A: "it's $HOME" })).toBe(`export A='it'\\''s $HOME'`);
});
