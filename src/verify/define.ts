/** What the templates' verifiers (templates/<t>/verify/verifier.ts) share. */
import pkg from '../../package.json';
import { restMatcher } from './match.ts';
import type { Exchange, OperationEntry, TemplateVerifier } from './types.ts';

/** "stripe 23.1.0": the SDK a scenario drives, at the version this checkout pins. */
export const sdkVersion = (name: string): string => `${name} ${(pkg.devDependencies as Record<string, string>)[name] ?? '?'}`;

/** REST operations.json rows to verify's entries ("METHOD /path/{param}"). */
export function restEntries(ops: { method: string; path: string; implemented: boolean }[]): OperationEntry[] {
  return ops.map((o) => ({ id: `${o.method.toUpperCase()} ${o.path}`, implemented: o.implemented }));
}

export const ok2xx = (ex: Exchange): boolean => ex.status >= 200 && ex.status < 300;

/**
 * A REST template's verifier: operations are the rows of its operations.json, an exchange
 * belongs to the path template it matches, a success is any 2xx; `sdk` is the package name.
 */
export function restVerifier(
  operations: unknown,
  v: Omit<TemplateVerifier, 'operations' | 'operationOf' | 'succeeded'> & Partial<Pick<TemplateVerifier, 'succeeded'>>,
): TemplateVerifier {
  const ops = restEntries(operations as { method: string; path: string; implemented: boolean }[]);
  return { ...v, sdk: sdkVersion(v.sdk), operations: () => ops, operationOf: restMatcher(ops.map((o) => o.id)), succeeded: v.succeeded ?? ok2xx };
}
