import { join } from 'node:path';

export const CLI = join(import.meta.dir, '../../src/cli/main.ts');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  json: any;
}

/** Run the real CLI in a child process (NO_COLOR, no TTY), as a script would. */
export async function asym(args: string[], env: Record<string, string | undefined> = {}, bin: string[] = ['bun', CLI]): Promise<CliResult> {
  const proc = Bun.spawn([...bin, ...args], { env: { ...process.env, NO_COLOR: '1', ...env }, stdout: 'pipe', stderr: 'pipe', stdin: 'ignore' });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  let json: unknown;
  try {
    json = JSON.parse(stdout);
  } catch {
    json = undefined;
  }
  return { code, stdout, stderr, json };
}
