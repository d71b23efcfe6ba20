/**
 * A small client of the Anthropic Messages API (POST /v1/messages), enough for tool-use
 * record generation: retries 429 and 5xx with backoff (honouring retry-after), and turns
 * authentication and unknown-model answers into named errors.
 */
import { AsymmetricError } from '../contract/errors.ts';

export interface MessagesRequest {
  model: string;
  max_tokens: number;
  system?: string;
  messages: { role: 'user' | 'assistant'; content: string }[];
  tools?: { name: string; description: string; input_schema: Record<string, unknown> }[];
  tool_choice?: { type: 'tool'; name: string } | { type: 'auto' };
}

export interface MessagesResponse {
  id: string;
  model: string;
  stop_reason: string | null;
  content: ({ type: 'text'; text: string } | { type: 'tool_use'; id: string; name: string; input: unknown })[];
  usage?: { input_tokens?: number; output_tokens?: number };
}

export interface AnthropicClientOptions {
  apiKey: string;
  baseUrl?: string;
  maxRetries?: number;
  /** Base delay of the exponential backoff (ms). */
  backoffMs?: number;
  onRetry?: (attempt: number, status: number, waitMs: number) => void;
}

export function anthropicFromEnv(): AnthropicClientOptions {
  const apiKey = process.env.ANTHROPIC_API_KEY;
  if (!apiKey) {
    throw new AsymmetricError('AI_KEY_MISSING', 'AI seeding needs an Anthropic API key', {
      hint: 'export ANTHROPIC_API_KEY=… (and ANTHROPIC_BASE_URL for a proxy), or seed with --fixture',
    });
  }
  return { apiKey, baseUrl: process.env.ANTHROPIC_BASE_URL || 'https://api.anthropic.com' };
}

export async function createMessage(opts: AnthropicClientOptions, body: MessagesRequest): Promise<MessagesResponse> {
  const url = `${(opts.baseUrl ?? 'https://api.anthropic.com').replace(/\/+$/, '')}/v1/messages`;
  const maxRetries = opts.maxRetries ?? 4;
  for (let attempt = 0; ; attempt++) {
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': opts.apiKey, 'anthropic-version': '2023-06-01' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(120_000),
      });
    } catch (e) {
      if (attempt < maxRetries) {
        await Bun.sleep(backoff(opts, attempt, null));
        continue;
      }
      throw new AsymmetricError('AI_REQUEST_FAILED', `cannot reach ${url}: ${(e as Error).message}`, { hint: 'check the network or ANTHROPIC_BASE_URL', cause: e });
    }
    if (res.ok) return (await res.json()) as MessagesResponse;
    const text = await res.text();
    let err: { error?: { type?: string; message?: string } } = {};
    try {
      err = JSON.parse(text);
    } catch {}
    const message = err.error?.message ?? text.slice(0, 200);
    if (res.status === 401 || res.status === 403) {
      throw new AsymmetricError('AI_AUTH_FAILED', `the Anthropic API refused the key: ${message}`, { hint: 'check ANTHROPIC_API_KEY' });
    }
    if (res.status === 404 || (res.status === 400 && /model/i.test(message))) {
      throw new AsymmetricError('AI_MODEL_UNKNOWN', `unknown model ${body.model}: ${message}`, { hint: 'pass --model with a model your key can use, e.g. claude-haiku-4-5' });
    }
    const retriable = res.status === 429 || res.status >= 500;
    if (retriable && attempt < maxRetries) {
      const wait = backoff(opts, attempt, res.headers.get('retry-after'));
      opts.onRetry?.(attempt + 1, res.status, wait);
      await Bun.sleep(wait);
      continue;
    }
    throw new AsymmetricError('AI_REQUEST_FAILED', `the Anthropic API answered ${res.status}: ${message}`, { hint: retriable ? 'it kept failing after retries; try again later' : undefined });
  }
}

function backoff(opts: AnthropicClientOptions, attempt: number, retryAfter: string | null): number {
  const ra = retryAfter ? Number(retryAfter) : NaN;
  if (Number.isFinite(ra) && ra >= 0) return Math.min(ra * 1000, 60_000);
  const base = opts.backoffMs ?? 500;
  return Math.min(base * 2 ** attempt, 30_000) * (0.75 + Math.random() * 0.5);
}
