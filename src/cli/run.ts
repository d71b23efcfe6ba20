import { isAsymmetricError } from '../contract/errors.ts';
import { installInterruptHandlers, interruptedBy, interruptedError, signalExitCode } from '../process/interrupt.ts';
import { createOutput, type Output } from './output.ts';

/**
 * The one wrapper around every command: build the Output, run, and on failure render the
 * error (JSON or human) and set the exit code. No process.exit mid-work.
 *
 * Ctrl-C and SIGTERM never kill a verb mid-step: they are turned into INTERRUPTED at the
 * verb's next step (spin then undoes what it made; short verbs finish), and the command
 * exits 130 (SIGINT) or 143 (SIGTERM), as a shell expects of an interrupted program.
 */
export async function action(args: { json?: boolean }, fn: (out: Output) => Promise<void>, opts: { endsOnInterrupt?: boolean } = {}): Promise<void> {
  const out = createOutput(Boolean(args.json));
  installInterruptHandlers((sig) => out.warn(`${sig} again: still cleaning up, so that nothing is left half-made`));
  try {
    await fn(out);
    const sig = interruptedBy();
    // `logs --follow` is ended by Ctrl-C: that is how it finishes, not a failure.
    if (sig && !opts.endsOnInterrupt) {
      // The work finished before the signal could stop it; say so, and exit as interrupted.
      process.exitCode = signalExitCode(sig);
      out.warn(`${sig} received; the command had already finished its work`);
    }
  } catch (e) {
    const sig = interruptedBy();
    out.error(sig && !(isAsymmetricError(e) && e.code === 'INTERRUPTED') ? interruptedError(sig) : e);
    process.exitCode = sig ? signalExitCode(sig) : 1;
  }
}
