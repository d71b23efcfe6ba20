/**
 * A local server speaking the Anthropic Messages API protocol (POST /v1/messages), the one
 * fake the suite allows: it stands in for a remote service this machine cannot reach.
 * It answers tool-use calls with records from `batches` (per tool name), returns 429 once
 * when asked to, 401 for a wrong key and 404 for an unknown model.
 */
export interface FakeAnthropic {
  url: string;
  requests: { model: string; tool: string; body: any }[];
  stop(): void;
}

export function startFakeAnthropic(opts: { key: string; models: string[]; records: Record<string, unknown[]>; first429?: boolean }): FakeAnthropic {
  const requests: FakeAnthropic['requests'] = [];
  let sent429 = !opts.first429;
  const server = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    async fetch(req) {
      const url = new URL(req.url);
      if (req.method !== 'POST' || url.pathname !== '/v1/messages') return Response.json({ type: 'error', error: { type: 'not_found_error', message: 'Not found' } }, { status: 404 });
      if (req.headers.get('x-api-key') !== opts.key) {
        return Response.json({ type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } }, { status: 401 });
      }
      if (!req.headers.get('anthropic-version')) return Response.json({ type: 'error', error: { type: 'invalid_request_error', message: 'anthropic-version header is required' } }, { status: 400 });
      const body = (await req.json()) as any;
      if (!opts.models.includes(body.model)) {
        return Response.json({ type: 'error', error: { type: 'not_found_error', message: `model: ${body.model}` } }, { status: 404 });
      }
      if (!sent429) {
        sent429 = true;
        return Response.json({ type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } }, { status: 429, headers: { 'retry-after': '0' } });
      }
      const tool = body.tool_choice?.name as string;
      requests.push({ model: body.model, tool, body });
      const entity = tool.replace(/^write_/, '');
      return Response.json({
        id: `msg_${requests.length}`,
        type: 'message',
        role: 'assistant',
        model: body.model,
        stop_reason: 'tool_use',
        content: [{ type: 'tool_use', id: `toolu_${requests.length}`, name: tool, input: { records: opts.records[entity] ?? [] } }],
        usage: { input_tokens: 100, output_tokens: 50 },
      });
    },
  });
  return { url: `http://127.0.0.1:${server.port}`, requests, stop: () => server.stop(true) };
}
