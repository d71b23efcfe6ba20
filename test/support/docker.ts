/**
 * Docker-backed suites run whenever an engine answers. Under CI=true they always run, so a
 * missing engine fails them instead of skipping them; on a laptop without Docker they skip.
 */
import { describe } from 'bun:test';

function engineAnswers(): boolean {
  try {
    return Bun.spawnSync(['docker', 'version', '--format', '{{.Server.Version}}'], { stdout: 'pipe', stderr: 'pipe' }).exitCode === 0;
  } catch {
    return false;
  }
}

export const dockerAvailable = engineAnswers();
export const inCI = process.env.CI === 'true' || process.env.CI === '1';
export const describeDocker = describe.skipIf(!dockerAvailable && !inCI);

export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

export async function labelled(value: string): Promise<{ containers: string[]; networks: string[]; volumes: string[] }> {
  const q = async (args: string[]) => {
    const format = args[0] === 'ps' ? '{{.Names}}' : '{{.Name}}';
    const p = Bun.spawn(['docker', ...args, '--filter', `label=asym.clone=${value}`, '--format', format], { stdout: 'pipe', stderr: 'pipe' });
    return (await new Response(p.stdout).text()).split('\n').filter(Boolean);
  };
  const [containers, networks, volumes] = await Promise.all([q(['ps', '-a']), q(['network', 'ls']), q(['volume', 'ls'])]);
  return { containers, networks, volumes };
}
