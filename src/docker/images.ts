/**
 * Image resolution for a template service: a local image of the published ref, else the
 * local build of this exact template source (tagged by content hash, so it is built once
 * per machine and reused until the source changes), else a pull, else a build. The
 * digest is recorded only for registry images; local builds have none (null).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { AsymmetricError } from '../contract/errors.ts';
import { baseImages, pullPolicy } from '../config.ts';
import type { Template } from '../templates/catalog.ts';
import { isCliOnly } from '../templates/modules.ts';
import { ensureBundle } from './bundle.ts';
import { CLONE_LABEL } from './labels.ts';
import { hasBuildKit } from './engine.ts';
import { docker, lastLines } from './spawn.ts';

export interface ResolvedImage {
  ref: string;
  digest: string | null;
  source: 'local' | 'pulled' | 'built';
}

export async function imageExists(ref: string): Promise<boolean> {
  const res = await docker(['image', 'inspect', '--format', '{{.Id}}', ref], { allowFailure: true });
  return res.code === 0;
}

export async function repoDigest(ref: string): Promise<string | null> {
  const res = await docker(['image', 'inspect', '--format', '{{json .RepoDigests}}', ref], { allowFailure: true });
  if (res.code !== 0) return null;
  const digests = JSON.parse(res.stdout.trim() || '[]') as string[];
  const repo = ref.replace(/(:[^/:]+)?(@sha256:.*)?$/, '');
  return digests.find((d) => d.startsWith(`${repo}@`)) ?? digests[0] ?? null;
}

/** Base images (Postgres, Redis): local, else pull; never built by the CLI. */
export async function ensureImage(ref: string, onProgress?: (msg: string) => void): Promise<void> {
  if (await imageExists(ref)) return;
  if (pullPolicy() !== 'never') {
    onProgress?.(`pulling ${ref}`);
    const res = await docker(['pull', ref], { allowFailure: true });
    if (res.code === 0) return;
  }
  throw new AsymmetricError('IMAGE_UNAVAILABLE', `image ${ref} is not on this machine and cannot be pulled`, {
    hint: 'with no registry: asym images build-base (Debian/Ubuntu, root) builds stand-ins and records them, or asym settings set postgresImage=… redisImage=… bunImage=… names images you have; asym settings shows the current ones',
  });
}

function walk(dir: string, root: string, out: string[]): void {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === 'test' || e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    // verify/ and seed/ are read by the CLI only: editing them rebuilds no image.
    if (e.isDirectory() && isCliOnly(relative(root, p))) continue;
    if (e.isDirectory()) walk(p, root, out);
    else if (e.isFile()) out.push(relative(root, p));
  }
}

/** Content hash of everything a template image is built from: the kit, the template, the base. */
export function sourceHash(t: Template, service: string): string {
  const files: string[] = [];
  walk(join(t.root, '_kit'), t.root, files);
  walk(t.dir, t.root, files);
  files.sort();
  const h = createHash('sha256');
  h.update(`service:${service}\nbun:${baseImages().bun}\n`);
  for (const f of files) {
    h.update(`${f}\0`);
    h.update(readFileSync(join(t.root, f)));
    h.update('\0');
  }
  return h.digest('hex').slice(0, 16);
}

export function buildTag(t: Template, service: string): string {
  return `asym-build/${t.manifest.name}-${service}:${sourceHash(t, service)}`;
}

export async function buildImage(t: Template, service: string, onProgress?: (msg: string) => void): Promise<string> {
  const svc = t.manifest.services[service]!;
  if (!svc.build) throw new AsymmetricError('IMAGE_UNAVAILABLE', `service ${service} of ${t.manifest.name} has no build to fall back on`);
  const tag = buildTag(t, service);
  await ensureImage(baseImages().bun, onProgress);
  onProgress?.(`building ${t.manifest.name}/${service} image (once per template version)`);
  const buildkit = await hasBuildKit();
  const res = await docker(
    ['build', '-q', '-f', join(t.root, svc.build.dockerfile), '--build-arg', `BUN_IMAGE=${baseImages().bun}`,
      '--label', `${CLONE_LABEL}=__image__`, '-t', tag, t.root],
    { allowFailure: true, env: buildkit ? {} : { DOCKER_BUILDKIT: '0' } },
  );
  if (res.code !== 0) {
    throw new AsymmetricError('BUILD_FAILED', `building the ${t.manifest.name} image failed: ${lastLines(res.stderr || res.stdout, 10)}`);
  }
  return tag;
}

export async function resolveServiceImage(t: Template, service: string, onProgress?: (msg: string) => void): Promise<ResolvedImage> {
  const svc = t.manifest.services[service]!;
  if (svc.build) await ensureBundle(t.root, t.dir, join(t.root, svc.build.dockerfile));
  if (svc.image && (await imageExists(svc.image))) return { ref: svc.image, digest: await repoDigest(svc.image), source: 'local' };
  if (svc.build) {
    const tag = buildTag(t, service);
    if (await imageExists(tag)) return { ref: tag, digest: null, source: 'local' };
  }
  if (svc.image && pullPolicy() !== 'never') {
    onProgress?.(`pulling ${svc.image}`);
    const res = await docker(['pull', svc.image], { allowFailure: true });
    if (res.code === 0) return { ref: svc.image, digest: await repoDigest(svc.image), source: 'pulled' };
  }
  if (svc.build) return { ref: await buildImage(t, service, onProgress), digest: null, source: 'built' };
  throw new AsymmetricError('IMAGE_UNAVAILABLE', `cannot get ${svc.image} for ${t.manifest.name}/${service}`, {
    hint: pullPolicy() === 'never'
      ? 'pull is never (asym settings): docker load the image, or asym settings set pull=auto'
      : 'check your network or registry login; asym doctor checks the engine',
  });
}

/**
 * Pin a digest: when the record has one, run exactly that content (`repo@sha256:…`) so a
 * moving :latest never changes a clone under a test.
 */
export function pinnedRef(image: string, digest: string | null | undefined): string {
  return digest ?? image;
}

/** Every service's image for a spin (local, built from this source, or pulled). */
export async function resolveImages(t: Template, services: string[], onProgress?: (msg: string) => void): Promise<Record<string, ResolvedImage>> {
  const out: Record<string, ResolvedImage> = {};
  for (const s of services) out[s] = await resolveServiceImage(t, s, onProgress);
  return out;
}

/**
 * The images an upgrade repins to: a fresh pull of a published image when the pull policy
 * allows, else a build of the current template source, else what resolves locally.
 */
export async function upgradeImages(t: Template, services: string[], onProgress: (msg: string) => void = () => {}): Promise<Record<string, ResolvedImage>> {
  const images: Record<string, ResolvedImage> = {};
  for (const s of services) {
    const svc = t.manifest.services[s]!;
    let fresh: ResolvedImage | undefined;
    if (svc.image && pullPolicy() !== 'never') {
      onProgress(`pulling ${svc.image}`);
      const res = await docker(['pull', svc.image], { allowFailure: true });
      if (res.code === 0) fresh = { ref: svc.image, digest: await repoDigest(svc.image), source: 'pulled' };
    }
    images[s] = fresh ?? (svc.build ? { ref: await buildImage(t, s, onProgress).catch(async () => (await resolveServiceImage(t, s, onProgress)).ref), digest: null, source: 'built' } : await resolveServiceImage(t, s, onProgress));
  }
  return images;
}
