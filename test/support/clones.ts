/** Spin and clean up clones through the real CLI, in a private ASYM_HOME. */
import { expect } from 'bun:test';
import { WebClient } from '@slack/web-api';
import { asym } from './cli.ts';
import { tempHome } from './home.ts';
import { uniqueName } from './docker.ts';

export function cloneHarness(label: string) {
  const home = tempHome(`asym-${label}`);
  const env = { ASYM_HOME: home.dir };
  const made = new Set<string>();
  return {
    home,
    env,
    run: (args: string[], extra: Record<string, string> = {}) => asym(args, { ...env, ...extra }),
    async spin(template: string, extraArgs: string[] = []): Promise<any> {
      const name = uniqueName(label.slice(0, 12));
      made.add(name);
      const r = await asym(['spin', template, '--name', name, '--json', ...extraArgs], env);
      if (r.code !== 0) throw new Error(`spin failed: ${r.stdout} ${r.stderr}`);
      return r.json;
    },
    track(id: string) {
      made.add(id);
    },
    async cleanup() {
      for (const id of made) await asym(['destroy', id, '--yes', '--json'], env);
      home.restore();
    },
  };
}

export function slackClient(clone: { endpoints: { api: string }; tokens: { botToken: string } }, token = clone.tokens.botToken): WebClient {
  return new WebClient(token, { slackApiUrl: `${clone.endpoints.api}/api/`, retryConfig: { retries: 0 } });
}

export async function postAndRead(client: WebClient, channelName: string, text: string): Promise<string> {
  const created = await client.conversations.create({ name: channelName });
  expect(created.ok).toBe(true);
  const channel = created.channel!.id!;
  const posted = await client.chat.postMessage({ channel, text });
  expect(posted.ok).toBe(true);
  return channel;
}

export async function historyTexts(client: WebClient, channel: string): Promise<string[]> {
  const h = await client.conversations.history({ channel });
  return (h.messages ?? []).map((m) => m.text ?? '');
}
