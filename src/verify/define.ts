/** What the templates' verifiers (templates/<t>/verify/verifier.ts) share. */
import pkg from '../../package.json';
import type { Exchange, OperationEntry } from './types.ts';

/** "stripe 23.1.0": the SDK a scenario drives, at the version this checkout pins. */
export const sdkVersion = (name: string): string => `${name} ${(pkg.devDependencies as Record<string, string>)[name] ?? '?'}`;

/** REST operations.json rows to verify's entries ("METHOD /path/{param}"). */
export function restEntries(ops: { method: string; path: string; implemented: boolean }[]): OperationEntry[] {
  return ops.map((o) => ({ id: `${o.method.toUpperCase()} ${o.path}`, implemented: o.implemented }));
}

export const ok2xx = (ex: Exchange): boolean => ex.status >= 200 && ex.status < 300;
