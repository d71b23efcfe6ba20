/**
 * Account-level operations through @octokit/rest against a spun clone: packages (seeded
 * through records, since nothing publishes to the clone), their visibility, deletion and
 * restoration rules and scopes.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import type { Octokit } from '@octokit/rest';
import { describeDocker } from '../support/docker.ts';
import { admin, octokit, spinGithub, unique, type Clone } from './helpers.ts';

/** The answer of a call, whether it succeeded or not (Octokit throws on 4xx). */
async function answer(p: Promise<unknown>): Promise<{ status: number; data: any }> {
  try {
    return (await p) as { status: number; data: any };
  } catch (e) {
    const err = e as { status?: number; response?: { data: unknown } };
    if (typeof err.status !== 'number') throw e;
    return { status: err.status, data: err.response?.data };
  }
}

describeDocker('github account-level operations', () => {
  let clone: Clone;
  let cleanup: () => Promise<void>;
  let bot: Octokit;
  let other: Octokit;
  const kaspar = unique('kaspar');

  const kasparKit = async (scopes?: string[]) => octokit(clone, (await admin(clone, 'user-token', { user: kaspar, ...(scopes ? { scopes } : {}) })).token);
  const asym = async (path: string, body: unknown) => {
    const res = await fetch(`${clone.endpoints.api}/__asym/${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-asym-admin': clone.adminSecret }, body: JSON.stringify(body) });
    return { status: res.status, json: (await res.json()) as any };
  };
  const seed = async (records: Record<string, unknown[]>) => (await asym('seed', { records })).json;

  beforeAll(async () => {
    const s = await spinGithub('gh-account-level');
    clone = s.clone;
    cleanup = () => s.h.cleanup();
    bot = octokit(clone, clone.tokens.botToken);
    other = octokit(clone, clone.tokens.userToken);
    // The fixture pack first: loading it later would clear what the tests seed.
    const pack = await asym('seed', { fixture: 'acme' });
    if (pack.status !== 200) throw new TypeError(`fixture: ${JSON.stringify(pack.json)}`);
    await admin(clone, 'users', { login: kaspar });
  }, 120_000);
  afterAll(async () => {
    await cleanup?.();
  }, 60_000);

  test('the acme fixture pack holds packages, a project and an attestation', async () => {
    expect((await bot.rest.packages.listPackagesForAuthenticatedUser({ package_type: 'npm' })).data.map((p) => [p.name, p.version_count, p.repository?.full_name])).toEqual([['acme-cli', 3, 'acme/cli']]);
    expect((await bot.rest.packages.listDockerMigrationConflictingPackagesForAuthenticatedUser()).data.map((p) => p.name)).toEqual(['legacy-runner']);
    // mallory's image is private: not there for the bot.
    expect((await bot.rest.packages.listPackagesForUser({ username: 'mallory', package_type: 'container' })).data).toEqual([]);
    const project = { username: 'asym-bot', project_number: 1 };
    expect((await other.rest.projects.getForUser(project)).data.title).toBe('Agent backlog');
    const fields = (await bot.rest.projects.listFieldsForUser(project)).data;
    const priority = fields.find((f) => f.name === 'Priority')!.id;
    const items = (await bot.rest.projects.listItemsForUser({ ...project, fields: String(priority) } as never)).data;
    expect(items.map((i) => (i.fields?.[0]?.value as { name: { raw: string } }).name.raw)).toEqual(['P0', 'P1', 'P2', 'P1']);
    const digest = `sha256:${'d0'.repeat(32)}`;
    expect((await bot.rest.users.listAttestations({ username: 'mallory', subject_digest: digest })).data.attestations).toHaveLength(1);
  });

  test('packages: seeded records are validated and listed by type and visibility', async () => {
    const out = await seed({
      packages: [
        { owner: kaspar, name: 'left-pad', package_type: 'npm', visibility: 'public', versions: [{ name: '1.0.0' }, { name: '1.0.1', license: 'MIT' }] },
        { owner: kaspar, name: 'internal-tool', package_type: 'npm' },
        { owner: kaspar, name: 'left-pad', package_type: 'npm' },
        { owner: kaspar, name: 'x', package_type: 'pip' },
        { owner: `nobody-${kaspar}`, name: 'y', package_type: 'npm' },
      ],
    });
    expect(out.written).toBe(2);
    expect(out.rejections.map((r: { index: number }) => r.index)).toEqual([2, 3, 4]);
    const k = await kasparKit();
    expect((await k.rest.packages.listPackagesForAuthenticatedUser({ package_type: 'npm' })).data.map((p) => p.name)).toEqual(['left-pad', 'internal-tool']);
    expect((await k.rest.packages.listPackagesForAuthenticatedUser({ package_type: 'npm', visibility: 'public' })).data.map((p) => p.name)).toEqual(['left-pad']);
    expect((await k.rest.packages.listPackagesForAuthenticatedUser({ package_type: 'maven' })).data).toEqual([]);
    // Others see the public package only; the private one is not there for them.
    expect((await bot.rest.packages.listPackagesForUser({ username: kaspar, package_type: 'npm' })).data.map((p) => p.name)).toEqual(['left-pad']);
    expect((await answer(bot.rest.packages.getPackageForUser({ username: kaspar, package_type: 'npm', package_name: 'internal-tool' }))).status).toBe(404);
    const pad = (await bot.rest.packages.getPackageForUser({ username: kaspar, package_type: 'npm', package_name: 'left-pad' })).data;
    expect(pad.version_count).toBe(2);
    expect(pad.owner?.login).toBe(kaspar);
    expect(pad.url).toBe(`${clone.endpoints.api}/users/${kaspar}/packages/npm/left-pad`);
    const bad = await answer(bot.rest.packages.listPackagesForUser({ username: kaspar, package_type: 'pip' as never }));
    expect(bad.status).toBe(400);
    const page = await k.rest.packages.listPackagesForAuthenticatedUser({ package_type: 'npm', per_page: 1 });
    expect(page.data).toHaveLength(1);
    expect(page.headers.link).toContain('rel="next"');
  });

  test('packages: versions delete and restore, the last version stays, 30 days to restore', async () => {
    const k = await kasparKit();
    const pad = { package_type: 'npm' as const, package_name: 'left-pad' };
    const [newest, oldest] = (await k.rest.packages.getAllPackageVersionsForPackageOwnedByAuthenticatedUser(pad)).data;
    expect([newest!.name, oldest!.name]).toEqual(['1.0.1', '1.0.0']);
    expect(newest!.license).toBe('MIT');
    // Another user may read a public package but not delete from it.
    expect((await answer(bot.rest.packages.deletePackageVersionForUser({ ...pad, username: kaspar, package_version_id: oldest!.id }))).status).toBe(403);
    expect((await k.rest.packages.deletePackageVersionForAuthenticatedUser({ ...pad, package_version_id: oldest!.id })).status).toBe(204);
    const last = await answer(k.rest.packages.deletePackageVersionForAuthenticatedUser({ ...pad, package_version_id: newest!.id }));
    expect(last.status).toBe(400);
    expect(last.data.message).toContain('last tagged version');
    // A deleted version is the owner's to see.
    expect((await k.rest.packages.getAllPackageVersionsForPackageOwnedByAuthenticatedUser({ ...pad, state: 'deleted' })).data.map((v) => v.name)).toEqual(['1.0.0']);
    expect((await bot.rest.packages.getAllPackageVersionsForPackageOwnedByUser({ ...pad, username: kaspar })).data.map((v) => v.name)).toEqual(['1.0.1']);
    expect((await answer(bot.rest.packages.getPackageVersionForUser({ ...pad, username: kaspar, package_version_id: oldest!.id }))).status).toBe(404);
    expect((await k.rest.packages.getPackageVersionForAuthenticatedUser({ ...pad, package_version_id: oldest!.id })).data.deleted_at).toBeString();
    // Thirty-one days on, the deleted version cannot come back.
    expect((await asym('clock', { action: 'advance', by: '31d' })).status).toBe(200);
    expect((await answer(k.rest.packages.restorePackageVersionForAuthenticatedUser({ ...pad, package_version_id: oldest!.id }))).status).toBe(404);
  });

  test('packages: a deleted package is restorable while its namespace is free', async () => {
    const k = await kasparKit();
    const tool = { package_type: 'npm' as const, package_name: 'internal-tool' };
    expect((await k.rest.packages.deletePackageForAuthenticatedUser(tool)).status).toBe(204);
    expect((await answer(k.rest.packages.getPackageForAuthenticatedUser(tool))).status).toBe(404);
    // A new package takes the name: the old one cannot be restored over it.
    expect((await seed({ packages: [{ owner: kaspar, name: 'internal-tool', package_type: 'npm' }] })).written).toBe(1);
    expect((await answer(k.rest.packages.restorePackageForAuthenticatedUser(tool))).status).toBe(403);
    expect((await k.rest.packages.deletePackageForUser({ ...tool, username: kaspar })).status).toBe(204);
    // The most recently deleted one comes back.
    expect((await k.rest.packages.restorePackageForUser({ ...tool, username: kaspar })).status).toBe(204);
    expect((await k.rest.packages.getPackageForAuthenticatedUser(tool)).data.version_count).toBe(1);
  });

  test('packages: scopes (read:packages to read; read and delete:packages to delete; write:packages to restore)', async () => {
    const tool = { package_type: 'npm' as const, package_name: 'internal-tool' };
    const none = await kasparKit(['repo']);
    expect((await answer(none.rest.packages.getPackageForAuthenticatedUser(tool))).status).toBe(404);
    const read = await kasparKit(['read:packages']);
    const r = await read.rest.packages.getPackageForAuthenticatedUser(tool);
    expect(r.headers['x-accepted-oauth-scopes']).toBe('read:packages');
    expect((await answer(read.rest.packages.deletePackageForAuthenticatedUser(tool))).status).toBe(404);
    const deleteOnly = await kasparKit(['delete:packages']);
    expect((await answer(deleteOnly.rest.packages.deletePackageForAuthenticatedUser(tool))).status).toBe(404);
    const both = await kasparKit(['read:packages', 'delete:packages']);
    expect((await both.rest.packages.deletePackageForAuthenticatedUser(tool)).status).toBe(204);
    expect((await answer(both.rest.packages.restorePackageForAuthenticatedUser(tool))).status).toBe(404);
    expect((await (await kasparKit(['write:packages'])).rest.packages.restorePackageForAuthenticatedUser(tool)).status).toBe(204);
  });

  test('packages: docker migration conflicts', async () => {
    expect((await seed({ packages: [{ owner: kaspar, name: 'old-image', package_type: 'docker', visibility: 'public', docker_conflict: true }, { owner: kaspar, name: 'hidden-image', package_type: 'docker', docker_conflict: true }] })).written).toBe(2);
    const k = await kasparKit();
    expect((await k.rest.packages.listDockerMigrationConflictingPackagesForAuthenticatedUser()).data.map((p) => p.name)).toEqual(['old-image', 'hidden-image']);
    expect((await other.rest.packages.listDockerMigrationConflictingPackagesForUser({ username: kaspar })).data.map((p) => p.name)).toEqual(['old-image']);
    expect((await bot.rest.packages.listDockerMigrationConflictingPackagesForAuthenticatedUser()).data.map((p) => p.name)).toEqual(['legacy-runner']);
  });

  test('projects (v2): seeded fields and items, visibility, field values, scopes', async () => {
    const k = await kasparKit();
    const repo = { owner: kaspar, repo: 'tracker' };
    await k.rest.repos.createForAuthenticatedUser({ name: repo.repo });
    const a = (await k.rest.issues.create({ ...repo, title: 'Alpha bug' })).data;
    const b = (await k.rest.issues.create({ ...repo, title: 'Beta feature' })).data;
    const hidden = (await bot.rest.repos.createForAuthenticatedUser({ name: unique('hidden'), private: true })).data;
    const secret = (await bot.rest.issues.create({ owner: 'asym-bot', repo: hidden.name, title: 'not yours' })).data;
    const out = await seed({
      projects: [
        { owner: kaspar, title: 'Plan', public: true, fields: [{ name: 'Size', data_type: 'single_select', options: ['S', 'M', 'L'] }, { name: 'Notes', data_type: 'text' }], items: [{ issue: `${kaspar}/tracker#${a.number}`, values: { Size: 'M', Notes: 'first' } }] },
        { owner: kaspar, title: 'Secret plan' },
        { owner: kaspar, title: 'Bad', fields: [{ name: 'X', data_type: 'formula' }] },
        { owner: kaspar, title: 'Bad item', items: [{ issue: 'nobody/none#1' }] },
      ],
    });
    expect(out.written).toBe(2);
    expect(out.rejections.map((r: { index: number }) => r.index)).toEqual([2, 3]);
    const plan = { username: kaspar, project_number: 1 };
    expect((await k.rest.projects.listForUser({ username: kaspar })).data.map((p) => [p.number, p.title])).toEqual([[1, 'Plan'], [2, 'Secret plan']]);
    expect((await bot.rest.projects.listForUser({ username: kaspar })).data.map((p) => p.title)).toEqual(['Plan']);
    expect((await k.rest.projects.listForUser({ username: kaspar, q: 'secret' })).data.map((p) => p.title)).toEqual(['Secret plan']);
    expect((await answer(bot.rest.projects.getForUser({ username: kaspar, project_number: 2 }))).status).toBe(404);
    const fields = (await k.rest.projects.listFieldsForUser(plan)).data;
    const size = fields.find((f) => f.name === 'Size')!;
    const notes = fields.find((f) => f.name === 'Notes')!;
    expect(size.options!.map((o) => o.name.raw)).toEqual(['S', 'M', 'L']);
    // Cursor paging over fields: two at a time, the Link header's cursor fetches the rest.
    const first = await k.rest.projects.listFieldsForUser({ ...plan, per_page: 2 });
    expect(first.data).toHaveLength(2);
    const after = /after=([^&>]+)/.exec(first.headers.link ?? '')?.[1];
    expect(after).toBeString();
    expect((await k.rest.projects.listFieldsForUser({ ...plan, per_page: 2, after })).data[0]!.id).toBe(fields[2]!.id);

    // Adding: by id or by owner/repo/number; the type must match; unreadable issues are not there.
    const added = (await k.rest.projects.addItemForUser({ ...plan, type: 'Issue', owner: kaspar, repo: 'tracker', number: b.number } as never)).data;
    expect(added.content_type).toBe('Issue');
    expect((await k.rest.projects.addItemForUser({ ...plan, type: 'Issue', id: b.id })).data.id).toBe(added.id);
    expect((await answer(k.rest.projects.addItemForUser({ ...plan, type: 'PullRequest', id: b.id }))).status).toBe(422);
    expect((await answer(k.rest.projects.addItemForUser({ ...plan, type: 'Issue', id: secret.id }))).status).toBe(404);
    expect((await answer(bot.rest.projects.addItemForUser({ ...plan, type: 'Issue', id: b.id }))).status).toBe(403);

    const items = (await k.rest.projects.listItemsForUser({ ...plan, fields: [String(size.id), String(notes.id)] } as never)).data;
    expect(items.map((i) => (i.content as { title: string }).title)).toEqual(['Alpha bug', 'Beta feature']);
    const vals = (i: { fields?: Array<Record<string, any>> }) => Object.fromEntries((i.fields ?? []).map((f) => [f.name, f.value?.name?.raw ?? f.value]));
    expect(vals(items[0]!)).toEqual({ Size: 'M', Notes: 'first' });
    expect(vals(items[1]!)).toEqual({ Size: null, Notes: null });
    expect((await k.rest.projects.listItemsForUser({ ...plan, q: 'beta is:open' })).data.map((i) => i.id)).toEqual([added.id]);

    const item = { ...plan, item_id: added.id };
    const large = size.options!.find((o) => o.name.raw === 'L')!.id;
    const patched = (await k.rest.projects.updateItemForUser({ ...item, fields: [{ id: size.id, value: large }, { id: notes.id, value: 'later' }] })).data;
    expect(vals(patched)).toEqual({ Title: expect.objectContaining({ raw: 'Beta feature' }), Size: 'L', Notes: 'later' });
    // Nothing is written when one value is wrong.
    const bad = await answer(k.rest.projects.updateItemForUser({ ...item, fields: [{ id: notes.id, value: 'never' }, { id: size.id, value: 'no-such-option' }] }));
    expect(bad.status).toBe(422);
    expect((await answer(k.rest.projects.updateItemForUser({ ...item, fields: [{ id: fields.find((f) => f.name === 'Title')!.id, value: 'x' }] }))).status).toBe(422);
    expect(vals((await k.rest.projects.getUserItem({ ...item, fields: String(notes.id) } as never)).data)).toEqual({ Notes: 'later' });
    expect(vals((await k.rest.projects.updateItemForUser({ ...item, fields: [{ id: notes.id, value: null }] })).data).Notes).toBeNull();

    // Scopes: read:project reads, project writes.
    const reader = await kasparKit(['read:project']);
    expect((await reader.rest.projects.getForUser(plan)).headers['x-accepted-oauth-scopes']).toBe('read:project');
    expect((await answer(reader.rest.projects.deleteItemForUser(item))).status).toBe(404);
    expect((await answer((await kasparKit(['repo'])).rest.projects.listItemsForUser(plan))).status).toBe(404);
    expect((await (await kasparKit(['project'])).rest.projects.deleteItemForUser(item)).status).toBe(204);
    expect((await answer(k.rest.projects.getUserItem(item))).status).toBe(404);
  });

  test('migrations: pending, exporting, exported on the clock; the archive; locks', async () => {
    const k = await kasparKit();
    const repo = { owner: kaspar, repo: 'moving' };
    await k.rest.repos.createForAuthenticatedUser({ name: repo.repo, auto_init: true });
    await k.rest.issues.create({ ...repo, title: 'Pack the boxes' });
    // Only repositories the user administers: an acme repository kaspar is no admin of is refused.
    const orgRepo = (await other.rest.repos.createInOrg({ org: 'acme', name: unique('org-moving') })).data;
    expect((await answer(k.rest.migrations.startForAuthenticatedUser({ repositories: [orgRepo.full_name] }))).status).toBe(422);
    expect((await answer(k.rest.migrations.startForAuthenticatedUser({ repositories: 'moving' as never }))).status).toBe(422);

    const m = (await k.rest.migrations.startForAuthenticatedUser({ repositories: ['moving'], lock_repositories: true })).data;
    expect(m.state).toBe('pending');
    expect(m.url).toBe(`${clone.endpoints.api}/user/migrations/${m.id}`);
    const lean = (await k.rest.migrations.startForAuthenticatedUser({ repositories: [`${kaspar}/moving`], exclude_metadata: true, exclude: ['repositories'] })).data;
    expect(lean.repositories).toEqual([]);
    expect((await k.rest.migrations.listForAuthenticatedUser()).data.map((x) => x.id)).toEqual([lean.id, m.id]);
    // Another user's migrations are not there for them.
    expect((await answer(bot.rest.migrations.getStatusForAuthenticatedUser({ migration_id: m.id }))).status).toBe(404);

    const locked = await answer(k.rest.issues.create({ ...repo, title: 'too late' }));
    expect(locked.status).toBe(403);
    expect((await k.rest.repos.get(repo)).status).toBe(200);

    await asym('clock', { action: 'advance', by: '3s' });
    expect((await k.rest.migrations.getStatusForAuthenticatedUser({ migration_id: m.id })).data.state).toBe('exporting');
    expect((await answer(k.rest.migrations.getArchiveForAuthenticatedUser({ migration_id: m.id }))).status).toBe(404);
    await asym('clock', { action: 'advance', by: '10s' });
    expect((await k.rest.migrations.getStatusForAuthenticatedUser({ migration_id: m.id, exclude: ['repositories'] })).data).toMatchObject({ state: 'exported', repositories: [] });

    const redirect = await k.rest.migrations.getArchiveForAuthenticatedUser({ migration_id: m.id, request: { redirect: 'manual' } });
    expect(redirect.status).toBe(302);
    const location = redirect.headers.location!;
    // The download needs no credential (the guid is the secret, as a signed URL is).
    const tarOf = async (url: string) => new TextDecoder().decode(Bun.gunzipSync(new Uint8Array(await (await fetch(url)).arrayBuffer())));
    const full = await tarOf(location);
    for (const f of ['schema.json', 'users_000001.json', 'repositories_000001.json', 'issues_000001.json']) expect(full).toContain(f);
    expect(full).toContain('Pack the boxes');
    const leanUrl = (await k.rest.migrations.getArchiveForAuthenticatedUser({ migration_id: lean.id, request: { redirect: 'manual' } })).headers.location!;
    const leanTar = await tarOf(leanUrl);
    expect(leanTar).toContain('repositories_000001.json');
    expect(leanTar).not.toContain('issues_000001.json');

    expect((await k.rest.migrations.listReposForAuthenticatedUser({ migration_id: m.id })).data.map((r) => r.name)).toEqual(['moving']);
    expect((await k.rest.migrations.unlockRepoForAuthenticatedUser({ migration_id: m.id, repo_name: 'moving' })).status).toBe(204);
    expect((await answer(k.rest.migrations.unlockRepoForAuthenticatedUser({ migration_id: m.id, repo_name: 'moving' }))).status).toBe(404);
    expect((await answer(k.rest.migrations.unlockRepoForAuthenticatedUser({ migration_id: lean.id, repo_name: 'moving' }))).status).toBe(404);
    expect((await k.rest.issues.create({ ...repo, title: 'unpacked' })).status).toBe(201);

    expect((await k.rest.migrations.deleteArchiveForAuthenticatedUser({ migration_id: m.id })).status).toBe(204);
    expect((await fetch(location)).status).toBe(404);
    expect((await answer(k.rest.migrations.getArchiveForAuthenticatedUser({ migration_id: m.id }))).status).toBe(404);
    // Archives last seven days.
    await asym('clock', { action: 'advance', by: '8d' });
    expect((await fetch(leanUrl)).status).toBe(404);
    expect((await answer(k.rest.migrations.deleteArchiveForAuthenticatedUser({ migration_id: lean.id }))).status).toBe(404);
    expect((await k.rest.migrations.getStatusForAuthenticatedUser({ migration_id: lean.id })).data.state).toBe('exported');
  });

  test('attestations: seeded bundles, visibility by repository, paging, deletes', async () => {
    const k = await kasparKit();
    await k.rest.repos.createForAuthenticatedUser({ name: 'artifacts' });
    await k.rest.repos.createForAuthenticatedUser({ name: 'private-artifacts', private: true });
    const digest = `sha256:${'1'.repeat(64)}`;
    const other = `sha256:${'2'.repeat(64)}`;
    const out = await seed({
      attestations: [
        { repository: `${kaspar}/artifacts`, subject_digest: digest, subject_name: 'app.tgz' },
        { repository: `${kaspar}/artifacts`, subject_digest: digest, predicate_type: 'release' },
        { repository: `${kaspar}/private-artifacts`, subject_digest: digest },
        { repository: `${kaspar}/artifacts`, subject_digest: other, predicate_type: 'https://example.test/custom/v1' },
        { repository: `${kaspar}/artifacts`, subject_digest: 'md5:abc' },
        { repository: `${kaspar}/nothing`, subject_digest: digest },
      ],
    });
    expect(out.written).toBe(4);
    expect(out.rejections.map((r: { index: number }) => r.index)).toEqual([4, 5]);
    const mine = (await k.rest.users.listAttestations({ username: kaspar, subject_digest: digest })).data.attestations!;
    expect(mine).toHaveLength(3);
    const statement = JSON.parse(Buffer.from((mine[0]!.bundle as any).dsseEnvelope.payload, 'base64').toString());
    expect(statement.subject[0]).toEqual({ name: 'app.tgz', digest: { sha256: '1'.repeat(64) } });
    expect(statement.predicateType).toBe('https://slsa.dev/provenance/v1');
    // The private repository's attestation is left out for others.
    expect((await bot.rest.users.listAttestations({ username: kaspar, subject_digest: digest })).data.attestations).toHaveLength(2);
    expect((await bot.rest.users.listAttestations({ username: kaspar, subject_digest: digest, predicate_type: 'release' })).data.attestations).toHaveLength(1);
    expect((await bot.rest.users.listAttestations({ username: kaspar, subject_digest: other, predicate_type: 'https://example.test/custom/v1' })).data.attestations).toHaveLength(1);
    expect((await answer(bot.rest.users.listAttestations({ username: 'asym-bot', subject_digest: digest }))).status).toBe(404);
    // Cursor paging, in the Link header and in the bulk answer's page_info.
    const first = await k.rest.users.listAttestations({ username: kaspar, subject_digest: digest, per_page: 2 });
    expect(first.data.attestations).toHaveLength(2);
    const after = /after=([^&>]+)/.exec(first.headers.link ?? '')?.[1];
    expect((await k.rest.users.listAttestations({ username: kaspar, subject_digest: digest, per_page: 2, after })).data.attestations).toHaveLength(1);
    const bulk = (await k.rest.users.listAttestationsBulk({ username: kaspar, subject_digests: [digest, other], per_page: 3 })).data;
    expect(bulk.page_info).toMatchObject({ has_next: true, has_previous: false });
    expect(bulk.attestations_subject_digests![digest]).toHaveLength(3);
    expect(bulk.attestations_subject_digests![other]).toBeNull();
    const rest = (await k.rest.users.listAttestationsBulk({ username: kaspar, subject_digests: [digest, other], per_page: 3, after: bulk.page_info!.next })).data;
    expect(rest.attestations_subject_digests![other]).toHaveLength(1);
    expect((await answer(k.rest.users.listAttestationsBulk({ username: kaspar, subject_digests: [] }))).status).toBe(422);

    // Deletes: the owner's; by ids, by digest.
    const ids = mine.map((a) => (a as { id: number }).id);
    expect((await answer(bot.rest.users.deleteAttestationsBulk({ username: kaspar, attestation_ids: ids }))).status).toBe(403);
    expect((await answer(k.rest.users.deleteAttestationsBulk({ username: kaspar, attestation_ids: [ids[0]!] }))).status).toBe(200);
    expect((await answer(k.rest.users.deleteAttestationsBulk({ username: kaspar, attestation_ids: [ids[0]!] }))).status).toBe(404);
    expect((await answer(k.rest.users.deleteAttestationsBulk({ username: kaspar } as never))).status).toBe(422);
    expect((await k.rest.users.deleteAttestationsBySubjectDigest({ username: kaspar, subject_digest: digest })).status).toBe(204);
    expect((await answer(k.rest.users.listAttestations({ username: kaspar, subject_digest: digest }))).status).toBe(404);
    expect((await k.rest.users.listAttestations({ username: kaspar, subject_digest: other })).data.attestations).toHaveLength(1);
  });

  test('billing: computed from private packages on the clone clock; the user\'s own', async () => {
    const k = await kasparKit();
    // The clone's clock (moved on by earlier tests), as the package just seeded shows it.
    const month = async () => {
      const t = new Date((await k.rest.packages.getPackageForAuthenticatedUser({ package_type: 'container', package_name: 'big-image' })).data.created_at);
      return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
    };
    const before = (await k.rest.billing.getSharedStorageBillingUser({ username: kaspar })).data;
    expect((await seed({ packages: [
      { owner: kaspar, name: 'big-image', package_type: 'container', versions: [{ name: 'sha256:01', size: 3_000_000_000, downloads: 2 }] },
      { owner: kaspar, name: 'small-lib', package_type: 'npm', versions: [{ name: '0.1.0', size: 100_000_000 }] },
      { owner: kaspar, name: 'public-image', package_type: 'container', visibility: 'public', versions: [{ name: 'sha256:02', size: 9_000_000_000, downloads: 100 }] },
    ] })).written).toBe(3);
    const { year, month: m, day } = await month();
    const items = (await k.rest.billing.getGithubBillingUsageReportUser({ username: kaspar, year, month: m, day })).data.usageItems!;
    // One line for the day: 3.1 GB of private storage (the public image is free) for 24 hours.
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ date: `${year}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`, product: 'Packages', sku: 'Packages storage', quantity: 75, unitType: 'GigabyteHours', discountAmount: 0 });
    expect(items[0]!.netAmount).toBeCloseTo(items[0]!.quantity * items[0]!.pricePerUnit, 2);
    // A day later, two days of storage in the month.
    await asym('clock', { action: 'advance', by: '1d' });
    expect((await k.rest.billing.getGithubBillingUsageReportUser({ username: kaspar, year, month: m })).data.usageItems!.filter((i) => i.sku === 'Packages storage' && i.quantity === 75)).toHaveLength(2);
    expect((await answer(k.rest.billing.getGithubBillingUsageReportUser({ username: kaspar, day: 32 }))).status).toBe(400);
    expect((await answer(bot.rest.billing.getGithubBillingUsageReportUser({ username: kaspar }))).status).toBe(403);

    // Transfer: 2 downloads of 3 GB (public downloads are free) against 1 GB included.
    expect((await k.rest.billing.getGithubPackagesBillingUser({ username: kaspar })).data).toEqual({ total_gigabytes_bandwidth_used: 6, total_paid_gigabytes_bandwidth_used: 5, included_gigabytes_bandwidth: 1 });
    const after = (await k.rest.billing.getSharedStorageBillingUser({ username: kaspar })).data;
    expect(after.estimated_storage_for_month).toBeGreaterThan(before.estimated_storage_for_month);
    expect(after.estimated_paid_storage_for_month).toBeGreaterThanOrEqual(1);
    expect((await k.rest.billing.getGithubActionsBillingUser({ username: kaspar })).data.total_minutes_used).toBe(0);
    // The retired product endpoints need the user scope; the usage reports do not.
    const repoOnly = await kasparKit(['repo']);
    expect((await answer(repoOnly.rest.billing.getSharedStorageBillingUser({ username: kaspar }))).status).toBe(404);
    expect((await repoOnly.rest.billing.getGithubBillingPremiumRequestUsageReportUser({ username: kaspar, model: 'gpt-5' })).data).toMatchObject({ user: kaspar, model: 'gpt-5', timePeriod: { year, month: m }, usageItems: [] });
  });
});
