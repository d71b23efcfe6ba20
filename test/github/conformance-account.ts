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

export async function projectsConformance(clone: Clone, bot: Octokit, adminKit: Octokit): Promise<void> {
  const repo = { owner: 'asym-bot', repo: 'conf-projects' };
  await bot.rest.repos.createForAuthenticatedUser({ name: repo.repo, auto_init: true });
  const issue = (await bot.rest.issues.create({ ...repo, title: 'Track me' })).data;
  const main = (await bot.rest.repos.getBranch({ ...repo, branch: 'main' })).data.commit.sha;
  await bot.rest.git.createRef({ ...repo, ref: 'refs/heads/topic', sha: main });
  await bot.rest.repos.createOrUpdateFileContents({ ...repo, path: 't.txt', message: 't', content: Buffer.from('t\n').toString('base64'), branch: 'topic' });
  const pr = (await bot.rest.pulls.create({ ...repo, title: 'Topic', head: 'topic', base: 'main' })).data;
  await seed(clone, { projects: [{ owner: 'asym-bot', title: 'Conformance', public: true, fields: [{ name: 'Sprint', data_type: 'iteration', iterations: [{ title: 'S1', start_date: '2026-01-05' }] }, { name: 'Estimate', data_type: 'number' }] }] });
  const project = { username: 'asym-bot', project_number: 1 };
  expect((await adminKit.rest.projects.listForUser({ username: 'asym-bot' })).data.map((p) => p.title)).toEqual(['Conformance']);
  expect((await bot.rest.projects.getForUser(project)).data.state).toBe('open');
  const fields = (await bot.rest.projects.listFieldsForUser(project)).data;
  const sprint = fields.find((f) => f.name === 'Sprint')!;
  expect((await bot.rest.projects.getFieldForUser({ ...project, field_id: sprint.id })).data.data_type).toBe('iteration');
  const onIssue = (await bot.rest.projects.addItemForUser({ ...project, type: 'Issue', id: issue.id })).data;
  const onPr = (await bot.rest.projects.addItemForUser({ ...project, type: 'PullRequest', id: pr.id })).data;
  expect(onPr.content_type).toBe('PullRequest');
  const all = fields.map((f) => String(f.id)).join(',');
  expect((await bot.rest.projects.listItemsForUser({ ...project, fields: all } as never)).data).toHaveLength(2);
  const item = { ...project, item_id: onIssue.id };
  const iteration = sprint.configuration!.iterations![0]!.id;
  const estimate = fields.find((f) => f.name === 'Estimate')!.id;
  expect((await bot.rest.projects.updateItemForUser({ ...item, fields: [{ id: sprint.id, value: iteration }, { id: estimate, value: 5 }] })).data.fields).toHaveLength(3);
  expect((await bot.rest.projects.getUserItem({ ...item, fields: all } as never)).data.fields).toHaveLength(fields.length);
  expect((await bot.rest.projects.deleteItemForUser(item)).status).toBe(204);
}

export async function migrationsConformance(clone: Clone, bot: Octokit): Promise<void> {
  await bot.rest.repos.createForAuthenticatedUser({ name: 'conf-migrate', auto_init: true });
  const m = (await bot.rest.migrations.startForAuthenticatedUser({ repositories: ['asym-bot/conf-migrate'], lock_repositories: true })).data;
  expect((await bot.rest.migrations.listForAuthenticatedUser()).data.map((x) => x.id)).toContain(m.id);
  await fetch(`${clone.endpoints.api}/__asym/clock`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-asym-admin': clone.adminSecret }, body: JSON.stringify({ action: 'advance', by: '1m' }) });
  const id = { migration_id: m.id };
  expect((await bot.rest.migrations.getStatusForAuthenticatedUser(id)).data.state).toBe('exported');
  // Not followed, so the recorder sees GitHub's documented 302.
  expect((await bot.rest.migrations.getArchiveForAuthenticatedUser({ ...id, request: { redirect: 'manual' } })).status).toBe(302);
  expect((await bot.rest.migrations.listReposForAuthenticatedUser(id)).data.map((r) => r.name)).toEqual(['conf-migrate']);
  expect((await bot.rest.migrations.unlockRepoForAuthenticatedUser({ ...id, repo_name: 'conf-migrate' })).status).toBe(204);
  expect((await bot.rest.migrations.deleteArchiveForAuthenticatedUser(id)).status).toBe(204);
}

export async function attestationsConformance(clone: Clone, bot: Octokit): Promise<void> {
  await bot.rest.repos.createForAuthenticatedUser({ name: 'conf-attest' });
  const [a, b, c] = ['a', 'b', 'c'].map((x) => `sha256:${x.repeat(64)}`) as [string, string, string];
  await seed(clone, { attestations: [a, a, b, c].map((d) => ({ repository: 'asym-bot/conf-attest', subject_digest: d })) });
  const listed = (await bot.rest.users.listAttestations({ username: 'asym-bot', subject_digest: a })).data.attestations!;
  expect(listed).toHaveLength(2);
  expect(Object.keys((await bot.rest.users.listAttestationsBulk({ username: 'asym-bot', subject_digests: [a, b] })).data.attestations_subject_digests!)).toEqual([a, b]);
  expect((await bot.rest.users.deleteAttestationsById({ username: 'asym-bot', attestation_id: (listed[0] as { id: number }).id })).status).toBe(204);
  expect((await bot.rest.users.deleteAttestationsBySubjectDigest({ username: 'asym-bot', subject_digest: a })).status).toBe(204);
  expect(((await bot.rest.users.deleteAttestationsBulk({ username: 'asym-bot', subject_digests: [b, c] })) as { status: number }).status).toBe(200);
}

export async function billingConformance(clone: Clone, bot: Octokit): Promise<void> {
  await seed(clone, { packages: [{ owner: 'asym-bot', name: 'conf-billed', package_type: 'container', versions: [{ name: 'sha256:ff', size: 1_500_000_000, downloads: 1 }] }] });
  const u = { username: 'asym-bot' };
  expect((await bot.rest.billing.getGithubBillingUsageReportUser(u)).data.usageItems!.length).toBeGreaterThan(0);
  expect((await bot.rest.billing.getGithubBillingPremiumRequestUsageReportUser(u)).data.user).toBe('asym-bot');
  expect((await bot.rest.billing.getGithubActionsBillingUser(u)).data.included_minutes).toBe(2000);
  expect((await bot.rest.billing.getGithubPackagesBillingUser(u)).data.total_gigabytes_bandwidth_used).toBe(2);
  expect((await bot.rest.billing.getSharedStorageBillingUser(u)).data.estimated_storage_for_month).toBeGreaterThan(0);
}
