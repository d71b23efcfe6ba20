/**
 * What only this machine's engine has: doctor's checks and repairs, and the local image
 * store. Commands that exist only for a local home (doctor, images) import these from here,
 * never from src/docker, so src/docker stays behind the seam.
 */
export { runDoctor } from '../docker/doctor.ts';
export { ensureEngine } from '../docker/engine.ts';
export { imageExists } from '../docker/images.ts';
