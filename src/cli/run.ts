import { createOutput, type Output } from './output.ts';

/**
 * The one wrapper around every command: build the Output, run, and on failure render the
 * error (JSON or human) and set the exit code. No process.exit mid-work.
 */
export async function action(args: { json?: boolean }, fn: (out: Output) => Promise<void>): Promise<void> {
  const out = createOutput(Boolean(args.json));
  try {
    await fn(out);
  } catch (e) {
    out.error(e);
    process.exitCode = 1;
  }
}
