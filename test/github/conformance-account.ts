/**
 * The account-level operations (packages, projects, migrations, attestations, billing) for
 * conformance.test.ts: each called once through @octokit/rest on a recording client, so the
 * suite validates its answer against GitHub's schema. What the API cannot make is seeded.
 */
import type { Octokit } from '@octokit/rest';
import { expect } from 'bun:test';
import type { Clone } from './helpers.ts';

async function seed(clone: Clone, records: Record<string, unknown[]>): Promise<void> {
  const res = await fetch(`${clone.endpoints.api}/__asym/seed`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-asym-admin': clone.adminSecret }, body: JSON.stringify({ records }) });
  const out = (await res.json()) as { rejected: number; rejections: unknown[] };
  expect(out.rejections).toEqual([]);
}

export async function packagesConformance(clone: Clone, bot: Octokit, adminKit: Octokit): Promise<void> {
  await seed(clone, {
    packages: [
      { owner: 'asym-bot', name: 'conf-lib', package_type: 'npm', visibility: 'public', repository: null, versions: [{ name: '1.0.0' }, { name: '2.0.0' }] },
      { owner: 'asym-bot', name: 'conf-image', package_type: 'container', visibility: 'public', docker_conflict: true, versions: [{ name: 'sha256:ab', tags: ['latest'] }, { name: 'sha256:cd', tags: [] }] },
    ],
  });
  const lib = { package_type: 'npm' as const, package_name: 'conf-lib' };
  const img = { package_type: 'container' as const, package_name: 'conf-image', username: 'asym-bot' };
  expect((await bot.rest.packages.listPackagesForAuthenticatedUser({ package_type: 'npm' })).data.map((p) => p.name)).toEqual(['conf-lib']);
  expect((await adminKit.rest.packages.listPackagesForUser({ username: 'asym-bot', package_type: 'container' })).data.map((p) => p.name)).toEqual(['conf-image']);
  expect((await bot.rest.packages.getPackageForAuthenticatedUser(lib)).data.version_count).toBe(2);
  expect((await adminKit.rest.packages.getPackageForUser(img)).data.visibility).toBe('public');
  const [v2, v1] = (await bot.rest.packages.getAllPackageVersionsForPackageOwnedByAuthenticatedUser(lib)).data;
  const [c2, c1] = (await bot.rest.packages.getAllPackageVersionsForPackageOwnedByUser(img)).data;
  expect((await bot.rest.packages.getPackageVersionForAuthenticatedUser({ ...lib, package_version_id: v1!.id })).data.name).toBe('1.0.0');
  expect((await bot.rest.packages.getPackageVersionForUser({ ...img, package_version_id: c1!.id })).data.metadata?.container?.tags).toEqual(['latest']);
  expect((await bot.rest.packages.deletePackageVersionForAuthenticatedUser({ ...lib, package_version_id: v2!.id })).status).toBe(204);
  expect((await bot.rest.packages.restorePackageVersionForAuthenticatedUser({ ...lib, package_version_id: v2!.id })).status).toBe(204);
  expect((await bot.rest.packages.deletePackageVersionForUser({ ...img, package_version_id: c2!.id })).status).toBe(204);
  expect((await bot.rest.packages.restorePackageVersionForUser({ ...img, package_version_id: c2!.id })).status).toBe(204);
  expect((await bot.rest.packages.listDockerMigrationConflictingPackagesForAuthenticatedUser()).data.map((p) => p.name)).toEqual(['conf-image']);
  expect((await adminKit.rest.packages.listDockerMigrationConflictingPackagesForUser({ username: 'asym-bot' })).data.map((p) => p.name)).toEqual(['conf-image']);
  expect((await bot.rest.packages.deletePackageForAuthenticatedUser(lib)).status).toBe(204);
  expect((await bot.rest.packages.restorePackageForAuthenticatedUser(lib)).status).toBe(204);
  expect((await bot.rest.packages.deletePackageForUser(img)).status).toBe(204);
  expect((await bot.rest.packages.restorePackageForUser(img)).status).toBe(204);
}
