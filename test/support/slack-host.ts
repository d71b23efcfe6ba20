import { startTemplateOnHost } from './template-host.ts';

/**
 * The Slack template's server on the host (test/support/template-host.ts). `apiUrl` is the
 * clone's base URL (like CloneInstance.endpoints.api); the Slack SDK wants `${apiUrl}/api/`
 * (the manifest's sdk.baseUrlSuffix).
 */

export interface SlackTokens {
  appId: string;
  workspaceId: string;
  botUserId: string;
  adminUserId: string;
  botToken: string;
  userToken: string;
  botId: string;
  signingSecret: string;
  generalChannelId: string;
}

export interface SlackHost {
  apiUrl: string;
  tokens: SlackTokens;
  adminSecret: string;
  databaseUrl: string;
  stop(): Promise<void>;
}

export async function startSlackOnHost(): Promise<SlackHost> {
  const c = await startTemplateOnHost<SlackTokens>('slack');
  return { apiUrl: c.endpoints.api, tokens: c.tokens, adminSecret: c.adminSecret, databaseUrl: c.databaseUrl, stop: c.stop };
}
