import pc from 'picocolors';
import type { CloneInstance, CloneRecord, CloneTokens } from '../contract/clone.ts';

/** Keep a token's vendor prefix so a reader can tell which it is, drop the secret part. */
export function redactToken(token: string): string {
  const m = /^([a-z]+(?:_[a-z]+)?[-_])/i.exec(token);
  return `${m ? m[1] : ''}…redacted`;
}

export function redactTokens(t: CloneTokens | undefined): CloneTokens | undefined {
  if (!t) return t;
  return {
    ...t,
    botToken: redactToken(t.botToken),
    userToken: redactToken(t.userToken),
    ...(t.signingSecret ? { signingSecret: '…redacted' } : {}),
  };
}

/** What status/ls show: secrets redacted (asym tokens <id> prints them). */
export function redacted<T extends CloneRecord>(r: T): T {
  const { adminSecret: _secret, ...rest } = r;
  return { ...rest, tokens: redactTokens(r.tokens) } as T;
}

export function stateColour(state: string): string {
  switch (state) {
    case 'running':
      return pc.green(state);
    case 'stopped':
      return pc.dim(state);
    case 'creating':
    case 'destroying':
      return pc.cyan(state);
    default:
      return pc.red(state);
  }
}

export function table(rows: string[][]): string {
  const strip = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, strip(cell).length)));
  return rows.map((row) => row.map((cell, i) => cell + ' '.repeat((widths[i] ?? 0) - strip(cell).length)).join('  ').trimEnd()).join('\n');
}

export function printInstance(c: CloneInstance, seconds?: number): void {
  const lines = [`${pc.green('✔')} ${pc.bold(c.template)} clone ${pc.bold(c.id)} is ${stateColour(c.state)}${seconds ? pc.dim(` (${seconds.toFixed(1)}s)`) : ''}`];
  const rows: string[][] = [['  api', c.endpoints.api]];
  if (c.endpoints.web) rows.push(['  web', c.endpoints.web]);
  if (c.tokens) {
    rows.push(['  botToken', c.tokens.botToken], ['  userToken', c.tokens.userToken]);
    if (c.tokens.signingSecret) rows.push(['  signingSecret', c.tokens.signingSecret]);
  }
  lines.push(table(rows.map(([k, val]) => [pc.dim(k!), val!])));
  process.stdout.write(`${lines.join('\n')}\n`);
}
