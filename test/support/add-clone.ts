// Child process for the concurrency test: add one clone record under the registry lock.
import { updateRegistry } from '../../src/registry/registry.ts';
import { sampleRecord } from './records.ts';

const id = process.argv[2]!;
await updateRegistry(async (reg) => {
  // Widen the race window: a lost update would show if the lock did not hold.
  await Bun.sleep(Math.random() * 5);
  reg.clones.push(sampleRecord(id));
});
