import { is, stepFailed, type ScenarioContext } from '../../../src/verify/types.ts';
import { octokitAt, statusOf } from './octokit.ts';


/**
 * The account-level operations (packages, projects, migrations, attestations, billing),
 * called at the end of scenario.ts. What the REST API reads but cannot make (packages,
 * projects, attestations) is seeded through the clone's records first.
 */
export async function accountScenario(ctx: ScenarioContext): Promise<void> {
  const kit = (auth?: string) => octokitAt(ctx.apiUrl, auth);
  const bot = kit(ctx.clone.tokens.botToken);
  const adminKit = kit(ctx.clone.tokens.userToken);
  const me = 'asym-bot';
  const scoped = async (scopes: string[]) => kit((await ctx.admin('github/user-token', { user: me, scopes })).json.token as string);
  const seed = async (records: Record<string, unknown[]>) => {
    const r = await ctx.admin('seed', { records });
    if (r.status !== 200 || r.json.rejected) throw stepFailed(`seeding failed: ${JSON.stringify(r.json).slice(0, 300)}`);
  };

  await ctx.step('packages', async () => {
    const npm = `verify-pkg-${ctx.unique}`;
    const image = `verify-img-${ctx.unique}`;
    const old = `verify-old-${ctx.unique}`;
    const secret = `verify-secret-${ctx.unique}`;
    await seed({
      packages: [
        { owner: me, name: npm, package_type: 'npm', visibility: 'public', versions: [{ name: '1.0.0' }, { name: '1.1.0' }, { name: '0.9.0', downloads: 9000 }] },
        { owner: me, name: image, package_type: 'container', versions: [{ name: 'sha256:aa', tags: ['latest'] }] },
        { owner: me, name: old, package_type: 'docker', visibility: 'public', docker_conflict: true },
        { owner: 'asym-admin', name: secret, package_type: 'npm' },
      ],
    });
    const U = (m: string, rest = '') => `${m} /user/packages${rest}`;
    const N = (m: string, rest = '') => `${m} /users/{username}/packages${rest}`;
    const P = '/{package_type}/{package_name}';
    const V = `${P}/versions/{package_version_id}`;
    const mine = { package_type: 'npm' as const, package_name: npm };
    const theirs = { ...mine, username: me };

    const listed = (await bot.rest.packages.listPackagesForAuthenticatedUser({ package_type: 'npm' })).data;
    await ctx.check(U('GET'), 'the npm package, with its three versions', () => is(listed.some((p) => p.name === npm && p.version_count === 3 && p.owner?.login === me), JSON.stringify(listed.map((p) => [p.name, p.version_count]))));
    await ctx.errorCase(U('GET'), 'no package_type', { status: 400, code: 'Invalid request.\n\n"package_type" wasn\'t supplied.' }, () => bot.rest.packages.listPackagesForAuthenticatedUser({} as never));
    const containers = (await bot.rest.packages.listPackagesForAuthenticatedUser({ package_type: 'container', visibility: 'private' })).data;
    await ctx.check(U('GET'), 'visibility=private lists the private container image only', () => is(containers.map((p) => p.name).join() === image, containers.map((p) => p.name).join()));
    const byOther = (await adminKit.rest.packages.listPackagesForUser({ username: me, package_type: 'container' })).data;
    const byMe = (await bot.rest.packages.listPackagesForUser({ username: me, package_type: 'container' })).data;
    await ctx.check(N('GET'), 'a private package is listed to its owner only', () => is(byOther.length === 0 && byMe.some((p) => p.name === image), `${byOther.length} / ${byMe.length}`));
    await ctx.errorCase(N('GET'), 'no package_type', { status: 400, code: 'Invalid request.\n\n"package_type" wasn\'t supplied.' }, () => bot.rest.packages.listPackagesForUser({ username: me } as never));

    const got = (await bot.rest.packages.getPackageForAuthenticatedUser(mine)).data;
    await ctx.check(U('GET', P), 'the package asked for', () => is(got.name === npm && got.visibility === 'public' && got.package_type === 'npm', JSON.stringify(got).slice(0, 160)));
    await ctx.errorCase(U('GET', P), 'a package that is not there', { status: 404, code: 'Not Found' }, () => bot.rest.packages.getPackageForAuthenticatedUser({ package_type: 'npm', package_name: `nope-${ctx.unique}` }));
    const public_ = (await adminKit.rest.packages.getPackageForUser(theirs)).data;
    await ctx.check(N('GET', P), 'another user reads a public package', () => is(public_.id === got.id, String(public_.id)));
    await ctx.errorCase(N('GET', P), 'another user\'s private package', { status: 404, code: 'Not Found' }, () => bot.rest.packages.getPackageForUser({ username: 'asym-admin', package_type: 'npm', package_name: secret }));

    const versions = (await bot.rest.packages.getAllPackageVersionsForPackageOwnedByAuthenticatedUser(mine)).data;
    await ctx.check(U('GET', `${P}/versions`), 'the three versions, newest first', () => is(versions.map((v) => v.name).join() === '0.9.0,1.1.0,1.0.0', versions.map((v) => v.name).join()));
    await ctx.errorCase(U('GET', `${P}/versions`), 'a package that is not there', { status: 404, code: 'Not Found' }, () => bot.rest.packages.getAllPackageVersionsForPackageOwnedByAuthenticatedUser({ package_type: 'npm', package_name: `nope-${ctx.unique}` }));
    const theirVersions = (await adminKit.rest.packages.getAllPackageVersionsForPackageOwnedByUser(theirs)).data;
    await ctx.check(N('GET', `${P}/versions`), 'the public package\'s versions, to another user', () => is(theirVersions.length === 3, String(theirVersions.length)));
    await ctx.errorCase(N('GET', `${P}/versions`), 'another user\'s private package', { status: 404, code: 'Not Found' }, () => bot.rest.packages.getAllPackageVersionsForPackageOwnedByUser({ username: 'asym-admin', package_type: 'npm', package_name: secret }));
    const [popular, v11, v10] = versions;
    const one = (await bot.rest.packages.getPackageVersionForAuthenticatedUser({ ...mine, package_version_id: v10!.id })).data;
    await ctx.check(U('GET', V), 'the version asked for', () => is(one.name === '1.0.0' && one.metadata?.package_type === 'npm', JSON.stringify(one).slice(0, 160)));
    await ctx.errorCase(U('GET', V), 'a version that is not there', { status: 404, code: 'Not Found' }, () => bot.rest.packages.getPackageVersionForAuthenticatedUser({ ...mine, package_version_id: 1 }));
    const viaUser = (await adminKit.rest.packages.getPackageVersionForUser({ ...theirs, package_version_id: v11!.id })).data;
    await ctx.check(N('GET', V), 'the version, through the user\'s namespace', () => is(viaUser.name === '1.1.0', viaUser.name));
    await ctx.errorCase(N('GET', V), 'a version that is not there', { status: 404, code: 'Not Found' }, () => bot.rest.packages.getPackageVersionForUser({ ...theirs, package_version_id: 1 }));

    await ctx.errorCase(U('DELETE', V), 'a public version with more than 5,000 downloads', { status: 403, code: 'Publicly visible package versions with more than 5000 downloads cannot be deleted. Contact GitHub support for further assistance.' }, () => bot.rest.packages.deletePackageVersionForAuthenticatedUser({ ...mine, package_version_id: popular!.id }));
    await bot.rest.packages.deletePackageVersionForAuthenticatedUser({ ...mine, package_version_id: v10!.id });
    const deleted = (await bot.rest.packages.getAllPackageVersionsForPackageOwnedByAuthenticatedUser({ ...mine, state: 'deleted' })).data;
    await ctx.check(U('DELETE', V), 'the version is deleted: listed under state=deleted, the count drops', async () => is(deleted.map((v) => v.name).join() === '1.0.0' && (await bot.rest.packages.getPackageForAuthenticatedUser(mine)).data.version_count === 2, deleted.map((v) => v.name).join()));
    await bot.rest.packages.restorePackageVersionForAuthenticatedUser({ ...mine, package_version_id: v10!.id });
    await ctx.check(U('POST', `${V}/restore`), 'the version is back', async () => is((await bot.rest.packages.getPackageForAuthenticatedUser(mine)).data.version_count === 3, 'not restored'));
    await ctx.errorCase(U('POST', `${V}/restore`), 'a version that is not deleted', { status: 404, code: 'Not Found' }, () => bot.rest.packages.restorePackageVersionForAuthenticatedUser({ ...mine, package_version_id: v10!.id }));
    await bot.rest.packages.deletePackageVersionForUser({ ...theirs, package_version_id: v11!.id });
    await ctx.check(N('DELETE', V), 'the version is gone from the active list', async () => is(!(await bot.rest.packages.getAllPackageVersionsForPackageOwnedByUser(theirs)).data.some((v) => v.id === v11!.id), 'still active'));
    await ctx.errorCase(N('DELETE', V), 'another user\'s package', { status: 403, code: 'You must have admin permissions to the package to perform this action.' }, () => adminKit.rest.packages.deletePackageVersionForUser({ ...theirs, package_version_id: v10!.id }));
    await bot.rest.packages.restorePackageVersionForUser({ ...theirs, package_version_id: v11!.id });
    await ctx.check(N('POST', `${V}/restore`), 'the version is active again', async () => is((await bot.rest.packages.getPackageVersionForUser({ ...theirs, package_version_id: v11!.id })).data.deleted_at === undefined, 'still deleted'));
    await ctx.errorCase(N('POST', `${V}/restore`), 'a version that was never deleted', { status: 404, code: 'Not Found' }, () => bot.rest.packages.restorePackageVersionForUser({ ...theirs, package_version_id: v11!.id }));

    const img = { package_type: 'container' as const, package_name: image };
    const [only] = (await bot.rest.packages.getAllPackageVersionsForPackageOwnedByAuthenticatedUser(img)).data;
    await ctx.errorCase(U('DELETE', V), 'the last version', { status: 400, code: 'You cannot delete the last tagged version of a package. You must delete the package instead.' }, () => bot.rest.packages.deletePackageVersionForAuthenticatedUser({ ...img, package_version_id: only!.id }));
    const readOnly = await scoped(['read:packages']);
    await ctx.errorCase(U('DELETE', P), 'a token without delete:packages', { status: 404, code: 'Not Found' }, () => readOnly.rest.packages.deletePackageForAuthenticatedUser(img));
    await ctx.errorCase(U('GET'), 'a token without read:packages', { status: 404, code: 'Not Found' }, async () => (await scoped(['repo'])).rest.packages.listPackagesForAuthenticatedUser({ package_type: 'npm' }));
    await ctx.errorCase(U('DELETE', P), 'a public package with a version over 5,000 downloads', { status: 403, code: 'Publicly visible packages with more than 5000 downloads cannot be deleted. Contact GitHub support for further assistance.' }, () => bot.rest.packages.deletePackageForAuthenticatedUser(mine));
    await bot.rest.packages.deletePackageForAuthenticatedUser(img);
    await ctx.check(U('DELETE', P), 'the package is gone', async () => is((await statusOf(bot.rest.packages.getPackageForAuthenticatedUser(img))) === 404, 'still there'));
    await ctx.errorCase(U('POST', `${P}/restore`), 'a package that was never deleted', { status: 404, code: 'Not Found' }, () => bot.rest.packages.restorePackageForAuthenticatedUser(mine));
    await bot.rest.packages.restorePackageForAuthenticatedUser(img);
    await ctx.check(U('POST', `${P}/restore`), 'the package is back with its version', async () => is((await bot.rest.packages.getPackageForAuthenticatedUser(img)).data.version_count === 1, 'not restored'));
    const theirImg = { ...img, username: me };
    await ctx.errorCase(N('DELETE', P), 'another user\'s package', { status: 404, code: 'Not Found' }, () => adminKit.rest.packages.deletePackageForUser(theirImg));
    await bot.rest.packages.deletePackageForUser(theirImg);
    await ctx.check(N('DELETE', P), 'the package is gone', async () => is((await statusOf(bot.rest.packages.getPackageForUser(theirImg))) === 404, 'still there'));
    await bot.rest.packages.restorePackageForUser(theirImg);
    await ctx.check(N('POST', `${P}/restore`), 'the package is back', async () => is((await bot.rest.packages.getPackageForUser(theirImg)).data.name === image, 'not restored'));
    await ctx.errorCase(N('POST', `${P}/restore`), 'a package that was never deleted', { status: 404, code: 'Not Found' }, () => bot.rest.packages.restorePackageForUser(theirImg));

    const conflicts = (await bot.rest.packages.listDockerMigrationConflictingPackagesForAuthenticatedUser()).data;
    await ctx.check('GET /user/docker/conflicts', 'the docker package that failed to migrate, only', () => is(conflicts.map((p) => p.name).join() === old, conflicts.map((p) => p.name).join()));
    const theirConflicts = (await adminKit.rest.packages.listDockerMigrationConflictingPackagesForUser({ username: me })).data;
    await ctx.check('GET /users/{username}/docker/conflicts', 'the public conflicting package, to another user', () => is(theirConflicts.map((p) => p.name).join() === old, theirConflicts.map((p) => p.name).join()));
    await ctx.errorCase('GET /users/{username}/docker/conflicts', 'a user that is not there', { status: 404, code: 'Not Found' }, () => bot.rest.packages.listDockerMigrationConflictingPackagesForUser({ username: `nobody-${ctx.unique}` }));
  });

  await ctx.step('projects (v2) of a user', async () => {
    const repo = { owner: me, repo: `verify-proj-${ctx.unique}` };
    await bot.rest.repos.createForAuthenticatedUser({ name: repo.repo, auto_init: true });
    const bug = (await bot.rest.issues.create({ ...repo, title: 'Crash on start' })).data;
    const docs = (await bot.rest.issues.create({ ...repo, title: 'Write the docs' })).data;
    const main = (await bot.rest.repos.getBranch({ ...repo, branch: 'main' })).data.commit.sha;
    await bot.rest.git.createRef({ ...repo, ref: 'refs/heads/fix', sha: main });
    await bot.rest.repos.createOrUpdateFileContents({ ...repo, path: 'fix.txt', message: 'Fix', content: Buffer.from('fixed\n').toString('base64'), branch: 'fix' });
    const pr = (await bot.rest.pulls.create({ ...repo, title: 'Fix the crash', head: 'fix', base: 'main' })).data;
    const title = `Roadmap ${ctx.unique}`;
    await seed({
      projects: [
        { owner: me, title, description: 'what comes next', public: true, fields: [{ name: 'Points', data_type: 'number' }, { name: 'Due', data_type: 'date' }, { name: 'Sprint', data_type: 'iteration', iterations: [{ title: 'Sprint 1', start_date: '2026-01-05' }] }], items: [{ issue: `${me}/${repo.repo}#${bug.number}`, values: { Status: 'Todo', Points: 3 } }] },
        { owner: me, title: `Private ${ctx.unique}` },
      ],
    });
    const W = (m: string, rest = '') => `${m} /users/{username}/projectsV2${rest}`;
    const N = '/{project_number}';
    const mine = (await bot.rest.projects.listForUser({ username: me })).data;
    const seen = (await adminKit.rest.projects.listForUser({ username: me })).data;
    const roadmap = mine.find((p) => p.title === title);
    await ctx.check(W('GET'), 'both projects to their owner; the public one only to others', () => is(roadmap && mine.some((p) => p.title === `Private ${ctx.unique}`) && seen.some((p) => p.title === title) && !seen.some((p) => p.title === `Private ${ctx.unique}`), `${mine.map((p) => p.title)} / ${seen.map((p) => p.title)}`));
    await ctx.errorCase(W('GET'), 'a user that is not there', { status: 404, code: 'Not Found' }, () => bot.rest.projects.listForUser({ username: `nobody-${ctx.unique}` }));
    const project = { username: me, project_number: roadmap!.number };
    const got = (await adminKit.rest.projects.getForUser(project)).data;
    await ctx.check(W('GET', N), 'the project asked for', () => is(got.title === title && got.public === true && got.owner.login === me, JSON.stringify(got).slice(0, 160)));
    const priv = mine.find((p) => p.title === `Private ${ctx.unique}`)!;
    await ctx.errorCase(W('GET', N), 'another user\'s private project', { status: 404, code: 'Not Found' }, () => adminKit.rest.projects.getForUser({ username: me, project_number: priv.number }));
    const fields = (await bot.rest.projects.listFieldsForUser(project)).data;
    const field = (name: string) => fields.find((f) => f.name === name)!;
    await ctx.check(W('GET', `${N}/fields`), 'the built-in fields and the three custom ones', () => is(['Title', 'Status', 'Points', 'Due', 'Sprint'].every((n) => fields.some((f) => f.name === n)) && field('Status').options?.length === 3, fields.map((f) => f.name).join()));
    await ctx.errorCase(W('GET', `${N}/fields`), 'a project that is not there', { status: 404, code: 'Not Found' }, () => bot.rest.projects.listFieldsForUser({ username: me, project_number: 9999 }));
    const sprint = (await bot.rest.projects.getFieldForUser({ ...project, field_id: field('Sprint').id })).data;
    await ctx.check(W('GET', `${N}/fields/{field_id}`), 'the iteration field with its iteration', () => is(sprint.data_type === 'iteration' && sprint.configuration?.iterations?.[0]?.title.raw === 'Sprint 1', JSON.stringify(sprint).slice(0, 200)));
    await ctx.errorCase(W('GET', `${N}/fields/{field_id}`), 'a field that is not there', { status: 404, code: 'Not Found' }, () => bot.rest.projects.getFieldForUser({ ...project, field_id: 1 }));

    const added = (await bot.rest.projects.addItemForUser({ ...project, type: 'PullRequest', owner: me, repo: repo.repo, number: pr.number } as never)).data;
    await ctx.check(W('POST', `${N}/items`), 'the pull request is an item', () => is(added.content_type === 'PullRequest' && (added.content as { number?: number }).number === pr.number, JSON.stringify(added).slice(0, 200)));
    const viaId = (await bot.rest.projects.addItemForUser({ ...project, type: 'Issue', id: docs.id })).data;
    await ctx.errorCase(W('POST', `${N}/items`), 'no type', { status: 422, code: 'Validation Failed' }, () => bot.rest.projects.addItemForUser({ ...project, id: docs.id } as never));
    await ctx.errorCase(W('POST', `${N}/items`), 'another user\'s project', { status: 403, code: 'You do not have permission to edit this project.' }, () => adminKit.rest.projects.addItemForUser({ ...project, type: 'Issue', id: docs.id }));
    const items = (await bot.rest.projects.listItemsForUser({ ...project, fields: `${field('Status').id},${field('Points').id}` } as never)).data;
    const value = (it: { fields?: Array<Record<string, unknown>> }, name: string) => it.fields?.find((f) => f.name === name)?.value as unknown;
    const bugItem = items.find((i) => (i.content as { number?: number })?.number === bug.number);
    await ctx.check(W('GET', `${N}/items`), 'the seeded issue with its Status and Points, the pull request and the issue added', () => is(items.length === 3 && bugItem && (value(bugItem, 'Status') as { name?: { raw?: string } })?.name?.raw === 'Todo' && value(bugItem, 'Points') === 3, JSON.stringify(items.map((i) => i.fields)).slice(0, 300)));
    const onlyPrs = (await bot.rest.projects.listItemsForUser({ ...project, q: 'is:pr' })).data;
    await ctx.check(W('GET', `${N}/items`), 'q=is:pr keeps the pull request', () => is(onlyPrs.length === 1 && onlyPrs[0]!.id === added.id, String(onlyPrs.length)));
    const item = { ...project, item_id: viaId.id };
    const one = (await bot.rest.projects.getUserItem(item)).data;
    await ctx.check(W('GET', `${N}/items/{item_id}`), 'the item, with its Title field', () => is(one.content_type === 'Issue' && (value(one, 'Title') as { raw?: string })?.raw === 'Write the docs', JSON.stringify(one.fields)));
    await ctx.errorCase(W('GET', `${N}/items/{item_id}`), 'an item that is not there', { status: 404, code: 'Not Found' }, () => bot.rest.projects.getUserItem({ ...project, item_id: 1 }));
    const done = field('Status').options!.find((o) => o.name.raw === 'Done')!.id;
    const updated = (await bot.rest.projects.updateItemForUser({ ...item, fields: [{ id: field('Status').id, value: done }, { id: field('Due').id, value: '2026-02-01' }] })).data;
    await ctx.check(W('PATCH', `${N}/items/{item_id}`), 'Status is Done and Due is set', () => is((value(updated, 'Status') as { name?: { raw?: string } } | null)?.name?.raw === 'Done' && value(updated, 'Due') === '2026-02-01', JSON.stringify(updated.fields)));
    await ctx.errorCase(W('PATCH', `${N}/items/{item_id}`), 'a date that is not a date', { status: 422, code: 'Validation Failed' }, () => bot.rest.projects.updateItemForUser({ ...item, fields: [{ id: field('Due').id, value: 'soon' }] }));
    await bot.rest.projects.deleteItemForUser(item);
    await ctx.check(W('DELETE', `${N}/items/{item_id}`), 'the item is gone', async () => is((await statusOf(bot.rest.projects.getUserItem(item))) === 404, 'still there'));
    await ctx.errorCase(W('DELETE', `${N}/items/{item_id}`), 'another user\'s project', { status: 403, code: 'You do not have permission to edit this project.' }, () => adminKit.rest.projects.deleteItemForUser({ ...project, item_id: added.id }));
    await bot.rest.repos.delete(repo);
  });

  await ctx.step('user migrations', async () => {
    const repo = { owner: me, repo: `verify-mig-${ctx.unique}` };
    await bot.rest.repos.createForAuthenticatedUser({ name: repo.repo, auto_init: true });
    await bot.rest.issues.create({ ...repo, title: 'Carried along' });
    const M = (m: string, rest = '') => `${m} /user/migrations${rest}`;
    const started = (await bot.rest.migrations.startForAuthenticatedUser({ repositories: [`${me}/${repo.repo}`], lock_repositories: true })).data;
    await ctx.check(M('POST'), 'a pending migration of the repository, locking it', () => is(started.state === 'pending' && started.lock_repositories === true && started.repositories.map((r) => r.full_name).join() === `${me}/${repo.repo}`, JSON.stringify([started.state, started.repositories.map((r) => r.full_name)])));
    await ctx.errorCase(M('POST'), 'no repositories', { status: 422, code: 'Validation Failed' }, () => bot.rest.migrations.startForAuthenticatedUser({} as never));
    await ctx.errorCase(M('POST'), 'a repository the user does not administer', { status: 422, code: 'Validation Failed' }, () => bot.rest.migrations.startForAuthenticatedUser({ repositories: [`nobody-${ctx.unique}/nothing`] }));
    const mid = { migration_id: started.id };
    await ctx.errorCase(M('GET', '/{migration_id}/archive'), 'an export still pending', { status: 404, code: 'Not Found' }, () => bot.rest.migrations.getArchiveForAuthenticatedUser(mid));
    const mine = (await bot.rest.migrations.listForAuthenticatedUser()).data;
    await ctx.check(M('GET'), 'the migration started, newest first', () => is(mine[0]?.id === started.id, JSON.stringify(mine.map((m) => m.id))));
    // The export runs on the clone's clock: a quarter of a minute later it is done.
    await ctx.admin('clock', { action: 'advance', by: '15s' });
    const status = (await bot.rest.migrations.getStatusForAuthenticatedUser(mid)).data;
    await ctx.check(M('GET', '/{migration_id}'), 'exported once the clock has moved on', () => is(status.state === 'exported' && status.guid === started.guid, status.state));
    await ctx.errorCase(M('GET', '/{migration_id}'), 'a migration that is not there', { status: 404, code: 'Not Found' }, () => bot.rest.migrations.getStatusForAuthenticatedUser({ migration_id: 1 }));
    const archive = await bot.rest.migrations.getArchiveForAuthenticatedUser(mid);
    const bytes = new Uint8Array(archive.data as ArrayBuffer);
    const text = new TextDecoder().decode(Bun.gunzipSync(bytes));
    await ctx.check(M('GET', '/{migration_id}/archive'), 'a redirect to a tar.gz holding the repository and its issue', () => is(text.includes('repositories_000001.json') && text.includes(repo.repo) && text.includes('Carried along'), `${bytes.length} bytes`));
    const repos = (await bot.rest.migrations.listReposForAuthenticatedUser(mid)).data;
    await ctx.check(M('GET', '/{migration_id}/repositories'), 'the migrated repository', () => is(repos.map((r) => r.name).join() === repo.repo, repos.map((r) => r.name).join()));
    await ctx.errorCase(M('GET', '/{migration_id}/repositories'), 'a migration that is not there', { status: 404, code: 'Not Found' }, () => bot.rest.migrations.listReposForAuthenticatedUser({ migration_id: 1 }));
    await ctx.errorCase('POST /repos/{owner}/{repo}/issues', 'writing to a repository locked by a migration', { status: 403, code: 'Repository has been locked for migration.' }, () => bot.rest.issues.create({ ...repo, title: 'while locked' }));
    await bot.rest.migrations.unlockRepoForAuthenticatedUser({ ...mid, repo_name: repo.repo });
    await ctx.errorCase(M('DELETE', '/{migration_id}/repos/{repo_name}/lock'), 'a repository no longer locked', { status: 404, code: 'Not Found' }, () => bot.rest.migrations.unlockRepoForAuthenticatedUser({ ...mid, repo_name: repo.repo }));
    await ctx.check(M('DELETE', '/{migration_id}/repos/{repo_name}/lock'), 'the repository takes writes again', async () => is((await bot.rest.issues.create({ ...repo, title: 'after the move' })).status === 201, 'refused'));
    await bot.rest.migrations.deleteArchiveForAuthenticatedUser(mid);
    await ctx.check(M('DELETE', '/{migration_id}/archive'), 'the archive is gone, the migration stays', async () => is((await statusOf(bot.rest.migrations.getArchiveForAuthenticatedUser(mid))) === 404 && (await bot.rest.migrations.getStatusForAuthenticatedUser(mid)).data.state === 'exported', 'archive still there'));
    await ctx.errorCase(M('DELETE', '/{migration_id}/archive'), 'an archive already deleted', { status: 404, code: 'Not Found' }, () => bot.rest.migrations.deleteArchiveForAuthenticatedUser(mid));
    await bot.rest.repos.delete(repo);
  });

  await ctx.step('artifact attestations', async () => {
    const repo = { owner: me, repo: `verify-att-${ctx.unique}` };
    await bot.rest.repos.createForAuthenticatedUser({ name: repo.repo });
    const hex = (c: string) => `sha256:${c.repeat(64)}`;
    const [d1, d2, d3] = [hex('a'), hex('b'), hex('c')];
    await seed({
      attestations: [
        { repository: `${me}/${repo.repo}`, subject_digest: d1 },
        { repository: `${me}/${repo.repo}`, subject_digest: d1, predicate_type: 'sbom' },
        { repository: `${me}/${repo.repo}`, subject_digest: d2 },
        { repository: `${me}/${repo.repo}`, subject_digest: d3 },
      ],
    });
    const A = (m: string, rest: string) => `${m} /users/{username}/attestations${rest}`;
    const listed = (await adminKit.rest.users.listAttestations({ username: me, subject_digest: d1 })).data.attestations ?? [];
    const sbom = (await adminKit.rest.users.listAttestations({ username: me, subject_digest: d1, predicate_type: 'sbom' })).data.attestations ?? [];
    await ctx.check(A('GET', '/{subject_digest}'), 'both attestations of the digest; predicate_type=sbom keeps one', () => is(listed.length === 2 && sbom.length === 1 && (listed[0]?.bundle as { dsseEnvelope?: unknown })?.dsseEnvelope !== undefined, `${listed.length} / ${sbom.length}`));
    await ctx.errorCase(A('GET', '/{subject_digest}'), 'a digest with no attestations', { status: 404, code: 'Not Found' }, () => bot.rest.users.listAttestations({ username: me, subject_digest: hex('f') }));
    const bulk = (await bot.rest.users.listAttestationsBulk({ username: me, subject_digests: [d1, d2, hex('f')] })).data;
    const map = bulk.attestations_subject_digests ?? {};
    await ctx.check(A('POST', '/bulk-list'), 'each digest with its attestations, null for one without', () => is(map[d1]?.length === 2 && map[d2]?.length === 1 && map[hex('f')] === null, JSON.stringify(Object.fromEntries(Object.entries(map).map(([k, v]) => [k.slice(7, 10), v?.length ?? null])))));
    await ctx.errorCase(A('POST', '/bulk-list'), 'no subject_digests', { status: 422, code: 'Invalid request.\n\n"subject_digests" wasn\'t supplied.' }, () => bot.rest.users.listAttestationsBulk({ username: me } as never));
    const id = (listed[0] as { id?: number }).id!;
    await ctx.errorCase(A('DELETE', '/{attestation_id}'), 'another user\'s attestation', { status: 403, code: 'You must be the owner of these attestations to delete them.' }, () => adminKit.rest.users.deleteAttestationsById({ username: me, attestation_id: id }));
    await bot.rest.users.deleteAttestationsById({ username: me, attestation_id: id });
    await ctx.check(A('DELETE', '/{attestation_id}'), 'one attestation of the digest is left', async () => is(((await bot.rest.users.listAttestations({ username: me, subject_digest: d1 })).data.attestations ?? []).length === 1, 'not deleted'));
    await ctx.errorCase(A('DELETE', '/{attestation_id}'), 'an attestation already deleted', { status: 404, code: 'Not Found' }, () => bot.rest.users.deleteAttestationsById({ username: me, attestation_id: id }));
    await bot.rest.users.deleteAttestationsBySubjectDigest({ username: me, subject_digest: d1 });
    await ctx.check(A('DELETE', '/digest/{subject_digest}'), 'nothing is left for the digest', async () => is((await statusOf(bot.rest.users.listAttestations({ username: me, subject_digest: d1 }))) === 404, 'still there'));
    await ctx.errorCase(A('DELETE', '/digest/{subject_digest}'), 'a digest with nothing left', { status: 404, code: 'Not Found' }, () => bot.rest.users.deleteAttestationsBySubjectDigest({ username: me, subject_digest: d1 }));
    await bot.rest.users.deleteAttestationsBulk({ username: me, subject_digests: [d2, d3] });
    await ctx.check(A('POST', '/delete-request'), 'both digests are empty', async () => is(Object.values((await bot.rest.users.listAttestationsBulk({ username: me, subject_digests: [d2, d3] })).data.attestations_subject_digests ?? {}).every((v) => v === null), 'still there'));
    await ctx.errorCase(A('POST', '/delete-request'), 'both digests and ids', { status: 422, code: 'Invalid request.\n\nGive either "subject_digests" or "attestation_ids", not both.' }, () => bot.rest.users.deleteAttestationsBulk({ username: me, subject_digests: [d2], attestation_ids: [1] } as never));
    await bot.rest.repos.delete(repo);
  });

  await ctx.step('billing', async () => {
    const B = (rest: string) => `GET /users/{username}/settings/billing${rest}`;
    // Two gigabytes of a private container image, downloaded three times.
    await seed({ packages: [{ owner: me, name: `verify-billed-${ctx.unique}`, package_type: 'container', versions: [{ name: 'sha256:ee', tags: ['v1'], size: 2_000_000_000, downloads: 3 }] }] });
    // The clone's clock, which may not be the wall clock: the package's creation time.
    const now = new Date((await bot.rest.packages.getPackageForAuthenticatedUser({ package_type: 'container', package_name: `verify-billed-${ctx.unique}` })).data.created_at);
    const report = (await bot.rest.billing.getGithubBillingUsageReportUser({ username: me, year: now.getUTCFullYear(), month: now.getUTCMonth() + 1 })).data.usageItems ?? [];
    const storage = report.filter((i) => i.sku === 'Packages storage');
    await ctx.check(B('/usage'), 'a day of the private image\'s storage: 48 GB-hours, over the free 500 MB so not discounted', () => is(storage.some((i) => i.quantity >= 48 && i.netAmount > 0 && i.date.startsWith(now.toISOString().slice(0, 7))), JSON.stringify(storage).slice(0, 200)));
    await ctx.errorCase(B('/usage'), 'month 13', { status: 400, code: 'Invalid value for month: 13 (an integer from 1 to 12)' }, () => bot.rest.billing.getGithubBillingUsageReportUser({ username: me, month: 13 }));
    await ctx.errorCase(B('/usage'), 'another user\'s billing', { status: 403, code: 'You must be the user to view their billing information.' }, () => adminKit.rest.billing.getGithubBillingUsageReportUser({ username: me }));
    const premium = (await bot.rest.billing.getGithubBillingPremiumRequestUsageReportUser({ username: me, year: 2026, month: 3 })).data;
    await ctx.check(B('/premium_request/usage'), 'the period asked for, no premium requests (no Copilot here)', () => is(premium.user === me && premium.timePeriod.year === 2026 && premium.timePeriod.month === 3 && premium.usageItems.length === 0, JSON.stringify(premium)));
    await ctx.errorCase(B('/premium_request/usage'), 'another user\'s billing', { status: 403, code: 'You must be the user to view their billing information.' }, () => adminKit.rest.billing.getGithubBillingPremiumRequestUsageReportUser({ username: me }));
    const actions = (await bot.rest.billing.getGithubActionsBillingUser({ username: me })).data;
    await ctx.check(B('/actions'), 'no minutes used of the 2,000 included', () => is(actions.total_minutes_used === 0 && actions.included_minutes === 2000, JSON.stringify(actions)));
    await ctx.errorCase(B('/actions'), 'a token without the user scope', { status: 404, code: 'Not Found' }, async () => (await scoped(['repo'])).rest.billing.getGithubActionsBillingUser({ username: me }));
    const transfer = (await bot.rest.billing.getGithubPackagesBillingUser({ username: me })).data;
    await ctx.check(B('/packages'), 'three downloads of 2 GB: 6 GB, 5 of them paid', () => is(transfer.total_gigabytes_bandwidth_used >= 6 && transfer.total_paid_gigabytes_bandwidth_used === transfer.total_gigabytes_bandwidth_used - 1, JSON.stringify(transfer)));
    await ctx.errorCase(B('/packages'), 'another user\'s billing', { status: 403, code: 'You must be the user to view their billing information.' }, () => adminKit.rest.billing.getGithubPackagesBillingUser({ username: me }));
    const shared = (await bot.rest.billing.getSharedStorageBillingUser({ username: me })).data;
    await ctx.check(B('/shared-storage'), 'the image\'s storage is estimated for the month', () => is(shared.estimated_storage_for_month >= 1 && shared.days_left_in_billing_cycle >= 1 && shared.days_left_in_billing_cycle <= 31, JSON.stringify(shared)));
    await ctx.errorCase(B('/shared-storage'), 'another user\'s billing', { status: 403, code: 'You must be the user to view their billing information.' }, () => adminKit.rest.billing.getSharedStorageBillingUser({ username: me }));
  });
}
