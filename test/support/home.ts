import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A throwaway ASYM_HOME: tests never touch the real ~/.asymmetric. */
export function tempHome(label = 'asym-test'): { dir: string; restore(): void } {
  const dir = mkdtempSync(join(tmpdir(), `${label}-`));
  const previous = process.env.ASYM_HOME;
  process.env.ASYM_HOME = dir;
  return {
    dir,
    restore() {
      if (previous === undefined) delete process.env.ASYM_HOME;
      else process.env.ASYM_HOME = previous;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
