/** Drive a real MCP server over stdio through the official MCP client, as an agent host does. */
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

export const NODE_MODULES = join(import.meta.dir, '../../node_modules');

export interface McpSession {
  client: Client;
  tools: string[];
  /** Call a tool; its text content joined, and isError. */
  call(name: string, args?: Record<string, unknown>): Promise<{ text: string; isError: boolean }>;
  close(): Promise<void>;
}

/**
 * `bin` relative to node_modules; `env` is exactly what `asym tokens --env --json` printed,
 * plus PATH (nothing else of the test's environment leaks into the server).
 */
export async function startMcp(bin: string, env: Record<string, string>): Promise<McpSession> {
  const transport = new StdioClientTransport({
    command: 'node',
    args: [join(NODE_MODULES, bin)],
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...env },
    stderr: 'pipe',
  });
  const client = new Client({ name: 'asym-test', version: '0.0.0' });
  await client.connect(transport);
  const tools = (await client.listTools()).tools.map((t) => t.name);
  return {
    client,
    tools,
    async call(name, args = {}) {
      const r = (await client.callTool({ name, arguments: args })) as { content: Array<{ type: string; text?: string }>; isError?: boolean };
      return { text: r.content.filter((c) => c.type === 'text').map((c) => c.text).join('\n'), isError: r.isError === true };
    },
    close: () => client.close(),
  };
}
