import { randomBytes } from 'node:crypto';
import { is, stepFailed, type ScenarioContext } from '../../../src/verify/types.ts';
import { octokitAt } from './octokit.ts';


/**
 * The authenticated user's codespaces and codespaces secrets, and the other user-level
 * operations of routes-user-extras.ts. Called at the end of scenario.ts; makes its own
 * repositories (the main scenario has deleted its own by then) and deletes them.
 */
export async function scenarioA(ctx: ScenarioContext): Promise<void> {
  const bot = octokitAt(ctx.apiUrl, ctx.clone.tokens.botToken);
  const me = 'asym-bot';
  const repo = { owner: me, repo: `verify-a-${ctx.unique}` };
  const tpl = { owner: me, repo: `verify-a-tpl-${ctx.unique}` };
  const published = { owner: me, repo: `verify-a-pub-${ctx.unique}` };
  const CS = (m: string, rest = '') => `${m} /user/codespaces/{codespace_name}${rest}`;
  const SECRET = (m: string, rest = '') => `${m} /user/codespaces/secrets/{secret_name}${rest}`;
  let repoId = 0;

  await ctx.step('codespaces', async () => {
    repoId = (await bot.rest.repos.createForAuthenticatedUser({ name: repo.repo, auto_init: true })).data.id;
    const made = (await bot.rest.codespaces.createForAuthenticatedUser({ repository_id: repoId, machine: 'basicLinux32gb' })).data;
    const codespace_name = made.name;
    await ctx.check('POST /user/codespaces', 'made Available on the repository\'s default branch', () => is(made.state === 'Available' && made.repository.id === repoId && made.git_status.ref === 'main', `${made.state} ${made.git_status.ref}`));
    await ctx.errorCase('POST /user/codespaces', 'a repository that does not exist', { status: 404, code: 'Not Found' }, () => bot.rest.codespaces.createForAuthenticatedUser({ repository_id: 1 }));
    const got = (await bot.rest.codespaces.getForAuthenticatedUser({ codespace_name })).data;
    await ctx.check(CS('GET'), 'the codespace made', () => is(got.id === made.id, got.name));
    await ctx.errorCase(CS('GET'), 'a codespace that does not exist', { status: 404, code: 'Not Found' }, () => bot.rest.codespaces.getForAuthenticatedUser({ codespace_name: `none-${ctx.unique}` }));
    const listed = (await bot.rest.codespaces.listForAuthenticatedUser({ repository_id: repoId })).data;
    await ctx.check('GET /user/codespaces', 'lists it for its repository', () => is(listed.total_count === 1 && listed.codespaces[0]?.name === codespace_name, JSON.stringify(listed).slice(0, 120)));
    const patched = (await bot.rest.codespaces.updateForAuthenticatedUser({ codespace_name, machine: 'premiumLinux', display_name: 'verify space' })).data;
    await ctx.check(CS('PATCH'), 'the display name now, the machine at the next start', () => is(patched.display_name === 'verify space' && patched.machine?.name === 'basicLinux32gb', `${patched.display_name} ${patched.machine?.name}`));
    const machines = (await bot.rest.codespaces.codespaceMachinesForAuthenticatedUser({ codespace_name })).data;
    await ctx.check(CS('GET', '/machines'), 'the machine types, the current one among them', () => is(machines.machines.some((m) => m.name === 'basicLinux32gb') && machines.total_count === machines.machines.length, machines.machines.map((m) => m.name).join()));
    const stopped = (await bot.rest.codespaces.stopForAuthenticatedUser({ codespace_name })).data;
    await ctx.check(CS('POST', '/stop'), 'Shutdown, and reads so', async () => is(stopped.state === 'Shutdown' && (await bot.rest.codespaces.getForAuthenticatedUser({ codespace_name })).data.state === 'Shutdown', stopped.state));
    const started = (await bot.rest.codespaces.startForAuthenticatedUser({ codespace_name })).data;
    await ctx.check(CS('POST', '/start'), 'Available again, on the machine asked for', () => is(started.state === 'Available' && started.machine?.name === 'premiumLinux', `${started.state} ${started.machine?.name}`));
    const ex = (await bot.rest.codespaces.exportForAuthenticatedUser({ codespace_name })).data;
    const branch = (await bot.rest.repos.getBranch({ ...repo, branch: `codespace-${codespace_name}` })).data;
    await ctx.check(CS('POST', '/exports'), 'the export pushed the codespace branch', () => is(ex.state === 'succeeded' && branch.commit.sha === ex.sha, `${ex.state} ${ex.sha} ${branch.commit.sha}`));
    const latest = (await bot.rest.codespaces.getExportDetailsForAuthenticatedUser({ codespace_name, export_id: 'latest' })).data;
    await ctx.check(CS('GET', '/exports/{export_id}'), '`latest` is the export made', () => is(latest.id === ex.id && latest.branch === ex.branch, `${latest.id} ${ex.id}`));
    await ctx.errorCase(CS('GET', '/exports/{export_id}'), 'an export that does not exist', { status: 404, code: 'Not Found' }, () => bot.rest.codespaces.getExportDetailsForAuthenticatedUser({ codespace_name, export_id: '1' }));
    await ctx.errorCase(CS('POST', '/publish'), 'a codespace already published', { status: 422, code: 'Validation Failed' }, () => bot.rest.codespaces.publishForAuthenticatedUser({ codespace_name, name: `never-${ctx.unique}` }));

    const tplId = (await bot.rest.repos.createForAuthenticatedUser({ name: tpl.repo, auto_init: true, is_template: true })).data.id;
    const fromTpl = (await bot.rest.codespaces.createForAuthenticatedUser({ repository_id: tplId })).data;
    const pub = (await bot.rest.codespaces.publishForAuthenticatedUser({ codespace_name: fromTpl.name, name: published.repo })).data;
    const pubRepo = (await bot.rest.repos.get(published)).data;
    await ctx.check(CS('POST', '/publish'), 'a template\'s codespace publishes to a new repository it then stands on', () => is(pub.repository.id === pubRepo.id && pub.publish_url === null && fromTpl.publish_url, `${pub.repository.full_name} ${pub.publish_url}`));

    await bot.rest.codespaces.deleteForAuthenticatedUser({ codespace_name });
    await ctx.check(CS('DELETE'), 'the codespace is gone', async () => is((await bot.rest.codespaces.getForAuthenticatedUser({ codespace_name }).then((r) => r.status, (e: { status?: number }) => e.status)) === 404, 'still there'));
  });

  await ctx.step('codespaces secrets', async () => {
    const key = (await bot.rest.codespaces.getPublicKeyForAuthenticatedUser()).data;
    await ctx.check('GET /user/codespaces/secrets/public-key', 'a 32-byte Curve25519 key with its id', () => is(Buffer.from(key.key, 'base64').length === 32 && key.key_id.length > 0, key.key));
    const secret_name = `VERIFY_${ctx.unique.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
    // A sealed box's size: 32 bytes of ephemeral key and 16 of MAC around the value.
    const encrypted_value = randomBytes(60).toString('base64');
    const put = await bot.rest.codespaces.createOrUpdateSecretForAuthenticatedUser({ secret_name, encrypted_value, key_id: key.key_id, selected_repository_ids: [repoId] });
    const again = await bot.rest.codespaces.createOrUpdateSecretForAuthenticatedUser({ secret_name, encrypted_value, key_id: key.key_id });
    await ctx.check(SECRET('PUT'), '201 when made, 204 when updated', () => is(put.status === 201 && (again.status as number) === 204, `${put.status} ${again.status}`));
    await ctx.errorCase(SECRET('PUT'), 'a key_id that is not the user\'s key', { status: 422, code: 'Validation Failed' }, () => bot.rest.codespaces.createOrUpdateSecretForAuthenticatedUser({ secret_name, encrypted_value, key_id: 'not-my-key' }));
    const got = (await bot.rest.codespaces.getSecretForAuthenticatedUser({ secret_name })).data;
    await ctx.check(SECRET('GET'), 'the secret without its value', () => is(got.name === secret_name && !JSON.stringify(got).includes(encrypted_value), JSON.stringify(got)));
    const listed = (await bot.rest.codespaces.listSecretsForAuthenticatedUser()).data;
    await ctx.check('GET /user/codespaces/secrets', 'lists it', () => is(listed.secrets.some((s) => s.name === secret_name), listed.secrets.map((s) => s.name).join()));
    const repos = async () => (await bot.rest.codespaces.listRepositoriesForSecretForAuthenticatedUser({ secret_name })).data.repositories.map((r) => r.id).join();
    await ctx.check(SECRET('GET', '/repositories'), 'the repository selected when it was made', async () => is((await repos()) === String(repoId), await repos()));
    const tplId = (await bot.rest.repos.get(tpl)).data.id;
    await bot.rest.codespaces.addRepositoryForSecretForAuthenticatedUser({ secret_name, repository_id: tplId });
    await ctx.check(SECRET('PUT', '/repositories/{repository_id}'), 'adds one', async () => is((await repos()).split(',').length === 2, await repos()));
    await bot.rest.codespaces.removeRepositoryForSecretForAuthenticatedUser({ secret_name, repository_id: repoId });
    await ctx.check(SECRET('DELETE', '/repositories/{repository_id}'), 'removes one', async () => is((await repos()) === String(tplId), await repos()));
    await bot.rest.codespaces.setRepositoriesForSecretForAuthenticatedUser({ secret_name, selected_repository_ids: [repoId] });
    await ctx.check(SECRET('PUT', '/repositories'), 'replaces them', async () => is((await repos()) === String(repoId), await repos()));
    await ctx.errorCase(SECRET('PUT', '/repositories'), 'a repository that does not exist', { status: 404, code: 'Not Found' }, () => bot.rest.codespaces.setRepositoriesForSecretForAuthenticatedUser({ secret_name, selected_repository_ids: [1] }));
    await bot.rest.codespaces.deleteSecretForAuthenticatedUser({ secret_name });
    await ctx.check(SECRET('DELETE'), 'the secret is gone', async () => is((await bot.rest.codespaces.getSecretForAuthenticatedUser({ secret_name }).then((r) => r.status, (e: { status?: number }) => e.status)) === 404, 'still there'));
    await ctx.errorCase(SECRET('GET'), 'a secret that does not exist', { status: 404, code: 'Not Found' }, () => bot.rest.codespaces.getSecretForAuthenticatedUser({ secret_name }));
  });

  await ctx.step('activity, watched repositories, hovercard, gists', async () => {
    const admin = octokitAt(ctx.apiUrl, ctx.clone.tokens.userToken);
    const org = ctx.clone.tokens.workspaceId;
    const number = (await bot.rest.issues.create({ ...repo, title: 'activity' })).data.number;
    await bot.rest.issues.createComment({ ...repo, issue_number: number, body: 'seen' });
    const kinds = (xs: Array<{ type: string | null; repo: { name: string } }>) => xs.filter((e) => e.repo.name === `${me}/${repo.repo}`).map((e) => e.type).join();
    const events = (await bot.rest.activity.listEventsForAuthenticatedUser({ username: me })).data;
    await ctx.check('GET /users/{username}/events', 'the comment, then the issue opened, newest first', () => is(kinds(events).startsWith('IssueCommentEvent,IssuesEvent'), kinds(events)));
    const pub = (await admin.rest.activity.listPublicEventsForUser({ username: me })).data;
    await ctx.check('GET /users/{username}/events/public', 'the same public events', () => is(kinds(pub).startsWith('IssueCommentEvent,IssuesEvent') && pub.every((e) => e.public), kinds(pub)));
    await admin.rest.users.follow({ username: me });
    const received = (await admin.rest.activity.listReceivedEventsForUser({ username: 'asym-admin' })).data;
    await ctx.check('GET /users/{username}/received_events', 'a followed user\'s events reach the follower', () => is(kinds(received).includes('IssuesEvent'), kinds(received)));
    const receivedPub = (await admin.rest.activity.listReceivedPublicEventsForUser({ username: 'asym-admin' })).data;
    await ctx.check('GET /users/{username}/received_events/public', 'public ones only', () => is(kinds(receivedPub).includes('IssuesEvent') && receivedPub.every((e) => e.public), kinds(receivedPub)));
    await admin.rest.users.unfollow({ username: me });
    const orgRepo = { owner: org, repo: `verify-a-org-${ctx.unique}` };
    await bot.rest.repos.createInOrg({ org, name: orgRepo.repo, private: true });
    await bot.rest.issues.create({ ...orgRepo, title: 'org activity' });
    const dash = (await bot.rest.activity.listOrgEventsForAuthenticatedUser({ username: me, org })).data;
    await ctx.check('GET /users/{username}/events/orgs/{org}', 'the org\'s private repository\'s events, on the user\'s own dashboard', () => is(dash.some((e) => e.repo.name === `${org}/${orgRepo.repo}` && !e.public), JSON.stringify(dash.map((e) => e.repo.name))));
    await ctx.errorCase('GET /users/{username}/events/orgs/{org}', 'another user\'s dashboard', { status: 404, code: 'Not Found' }, () => admin.rest.activity.listOrgEventsForAuthenticatedUser({ username: me, org }));
    const watched = (await bot.rest.activity.listWatchedReposForAuthenticatedUser({ per_page: 100 })).data.map((r) => r.name);
    await ctx.check('GET /user/subscriptions', 'repositories created or given push access to', () => is(watched.includes(repo.repo) && watched.includes(orgRepo.repo), watched.join()));
    const theirs = (await admin.rest.activity.listReposWatchedByUser({ username: me, per_page: 100 })).data.map((r) => r.name);
    await ctx.check('GET /users/{username}/subscriptions', 'the user\'s watched repositories the viewer can read', () => is(theirs.includes(repo.repo), theirs.join()));
    const card = (await admin.rest.users.getContextForUser({ username: me, subject_type: 'repository', subject_id: String(repoId) })).data;
    await ctx.check('GET /users/{username}/hovercard', 'the repository\'s owner owns it', () => is(card.contexts.some((c) => c.message === 'Owns this repository'), JSON.stringify(card)));
    await ctx.errorCase('GET /users/{username}/hovercard', 'subject_type without subject_id', { status: 422, code: 'Validation Failed' }, () => admin.rest.users.getContextForUser({ username: me, subject_type: 'repository' }));
    const gist = await ctx.admin('github/gists', { user: me, description: `verify ${ctx.unique}`, files: { 'notes.md': { content: '# notes' } } });
    await ctx.admin('github/gists', { user: me, public: false, files: { 'secret.txt': { content: 'shh' } } });
    const gists = (await admin.rest.gists.listForUser({ username: me, per_page: 100 })).data;
    await ctx.check('GET /users/{username}/gists', 'the public gist, not the secret one', () => is(gists.some((x) => x.id === gist.json.gist.id && x.files['notes.md']?.language === 'Markdown') && !gists.some((x) => x.files['secret.txt']), JSON.stringify(gists.map((x) => Object.keys(x.files)))));
    await ctx.errorCase('GET /users/{username}/gists', 'since that is not a timestamp', { status: 422, code: 'Validation Failed' }, () => admin.rest.gists.listForUser({ username: me, since: 'yesterday' }));
    await admin.rest.repos.delete(orgRepo).catch(() => undefined);
  });

  await ctx.step('issue field values', async () => {
    const org = ctx.clone.tokens.workspaceId;
    const field = async (name: string, data_type: string, options?: unknown[]) => {
      const r = await ctx.admin('github/issue-fields', { org, name: `${name} ${ctx.unique}`, data_type, options });
      if (r.status !== 200) throw stepFailed(`admin issue-fields: ${r.status} ${JSON.stringify(r.json)}`);
      return r.json.field.id as number;
    };
    const priority = await field('Priority', 'single_select', [{ name: 'P0', color: 'red' }, { name: 'P1', color: 'orange' }]);
    const estimate = await field('Estimate', 'number');
    const orgRepo = { owner: org, repo: `verify-a-fields-${ctx.unique}` };
    await bot.rest.repos.createInOrg({ org, name: orgRepo.repo });
    const issue = { ...orgRepo, issue_number: (await bot.rest.issues.create({ ...orgRepo, title: 'fields' })).data.number };
    const FV = (m: string, rest = '') => `${m} /repos/{owner}/{repo}/issues/{issue_number}/issue-field-values${rest}`;
    const values = async () => ((await bot.request('GET /repos/{owner}/{repo}/issues/{issue_number}/issue-field-values', issue)).data as Array<{ issue_field_id: number; value: unknown }>).map((v) => `${v.issue_field_id}=${v.value}`).sort().join();
    const added = await bot.request('POST /repos/{owner}/{repo}/issues/{issue_number}/issue-field-values', { ...issue, issue_field_values: [{ field_id: priority, value: 'P0' }, { field_id: estimate, value: 5 }] });
    await ctx.check(FV('POST'), 'the values added, answered and read back', async () => is((added.data as unknown[]).length === 2 && (await values()) === [`${priority}=P0`, `${estimate}=5`].sort().join(), await values()));
    await ctx.check(FV('GET'), 'the values set, with their field', async () => is((await values()).includes(`${priority}=P0`), await values()));
    await ctx.errorCase(FV('POST'), 'a value that is not an option of the field', { status: 422, code: 'Validation Failed' }, () => bot.request('POST /repos/{owner}/{repo}/issues/{issue_number}/issue-field-values', { ...issue, issue_field_values: [{ field_id: priority, value: 'P7' }] }));
    await bot.request('PUT /repos/{owner}/{repo}/issues/{issue_number}/issue-field-values', { ...issue, issue_field_values: [{ field_id: priority, value: 'P1' }] });
    await ctx.check(FV('PUT'), 'replaces every value', async () => is((await values()) === `${priority}=P1`, await values()));
    await ctx.errorCase(FV('PUT'), 'a number field given a string', { status: 422, code: 'Validation Failed' }, () => bot.request('PUT /repos/{owner}/{repo}/issues/{issue_number}/issue-field-values', { ...issue, issue_field_values: [{ field_id: estimate, value: 'five' }] }));
    await bot.request('DELETE /repos/{owner}/{repo}/issues/{issue_number}/issue-field-values/{issue_field_id}', { ...issue, issue_field_id: priority });
    await ctx.check(FV('DELETE', '/{issue_field_id}'), 'the value is gone', async () => is((await values()) === '', await values()));
    await ctx.errorCase(FV('DELETE', '/{issue_field_id}'), 'a field with no value on the issue', { status: 404, code: 'Not Found' }, () => bot.request('DELETE /repos/{owner}/{repo}/issues/{issue_number}/issue-field-values/{issue_field_id}', { ...issue, issue_field_id: priority }));
    await bot.rest.repos.delete(orgRepo).catch(() => undefined);
  });

  await ctx.step('issue suggestions', async () => {
    const issue = { ...repo, issue_number: (await bot.rest.issues.create({ ...repo, title: 'suggestions' })).data.number };
    const bug = (await bot.rest.issues.getLabel({ ...repo, name: 'bug' })).data;
    const suggest = async (body: Record<string, unknown>) => {
      const r = await ctx.admin('github/issue-suggestions', { ...issue, ...body });
      if (r.status !== 200) throw stepFailed(`admin issue-suggestions: ${r.status} ${JSON.stringify(r.json)}`);
      return r.json.suggestion.id as number;
    };
    const label = await suggest({ action: 'add_label', target_id: bug.id, confidence: 'HIGH' });
    const twin = await suggest({ action: 'add_label', target_id: bug.id });
    const close = await suggest({ action: 'close_issue' });
    const SG = (m: string, rest = '') => `${m} /repos/{owner}/{repo}/issues/{issue_number}/suggestions${rest}`;
    const list = async (state?: string) => ((await bot.request('GET /repos/{owner}/{repo}/issues/{issue_number}/suggestions', { ...issue, ...(state ? { state: state as never } : {}) })).data as Array<{ id: number }>).map((x) => x.id).join();
    await ctx.check(SG('GET'), 'the pending suggestions, oldest first', async () => is((await list()) === [label, twin, close].join(), await list()));
    await ctx.errorCase(SG('GET'), 'a state that is not one', { status: 422, code: 'Validation Failed' }, () => bot.request('GET /repos/{owner}/{repo}/issues/{issue_number}/suggestions', { ...issue, state: 'bogus' as never }));
    const approved = (await bot.request('POST /repos/{owner}/{repo}/issues/{issue_number}/suggestions/{suggestion_id}/approve', { ...issue, suggestion_id: label })).data as { state: string };
    const labels = (await bot.rest.issues.listLabelsOnIssue(issue)).data.map((l) => l.name).join();
    await ctx.check(SG('POST', '/{suggestion_id}/approve'), 'applies the label and dismisses its twin', async () => is(approved.state === 'approved' && labels === 'bug' && (await list('dismissed')) === String(twin), `${approved.state} ${labels} ${await list('dismissed')}`));
    await ctx.errorCase(SG('POST', '/{suggestion_id}/approve'), 'a suggestion no longer pending', { status: 422, code: 'Validation Failed' }, () => bot.request('POST /repos/{owner}/{repo}/issues/{issue_number}/suggestions/{suggestion_id}/approve', { ...issue, suggestion_id: label }));
    const dismissed = (await bot.request('POST /repos/{owner}/{repo}/issues/{issue_number}/suggestions/{suggestion_id}/dismiss', { ...issue, suggestion_id: close })).data as { state: string };
    const state = (await bot.rest.issues.get(issue)).data.state;
    await ctx.check(SG('POST', '/{suggestion_id}/dismiss'), 'dismissed, and the issue stays open', () => is(dismissed.state === 'dismissed' && state === 'open', `${dismissed.state} ${state}`));
    await ctx.errorCase(SG('POST', '/{suggestion_id}/dismiss'), 'a suggestion that does not exist', { status: 404, code: 'Not Found' }, () => bot.request('POST /repos/{owner}/{repo}/issues/{issue_number}/suggestions/{suggestion_id}/dismiss', { ...issue, suggestion_id: 1 }));
  });

  await ctx.step('pending org membership, teams', async () => {
    const org = ctx.clone.tokens.workspaceId;
    const login = `invitee-${ctx.unique}`.slice(0, 39);
    const made = await ctx.admin('github/users', { login });
    const token = await ctx.admin('github/user-token', { user: login });
    if (made.status !== 200 || token.status !== 200) throw stepFailed(`admin users: ${made.status} ${token.status}`);
    const invitee = octokitAt(ctx.apiUrl, token.json.token);
    await ctx.errorCase('PATCH /user/memberships/orgs/{org}', 'no invitation from the organization', { status: 404, code: 'Not Found' }, () => invitee.rest.orgs.updateMembershipForAuthenticatedUser({ org, state: 'active' }));
    await ctx.admin('github/org-invitations', { org, user: login });
    const before = (await invitee.rest.orgs.getMembershipForAuthenticatedUser({ org })).data.state;
    const accepted = (await invitee.rest.orgs.updateMembershipForAuthenticatedUser({ org, state: 'active' })).data;
    const orgs = (await invitee.rest.orgs.listForAuthenticatedUser()).data.map((o) => o.login);
    await ctx.check('PATCH /user/memberships/orgs/{org}', 'a pending invitation accepted: active, and a member of the org', () => is(before === 'pending' && accepted.state === 'active' && orgs.includes(org), `${before} ${accepted.state} ${orgs.join()}`));
    const team = `verify-team-${ctx.unique}`;
    await ctx.admin('github/teams', { org, name: team, members: [login] });
    const teams = (await invitee.rest.teams.listForAuthenticatedUser()).data;
    await ctx.check('GET /user/teams', 'the team the new member was put in, with its organisation', () => is(teams.length === 1 && teams[0]?.name === team && teams[0]?.organization.login === org && teams[0]?.members_count === 1, JSON.stringify(teams.map((t) => t.name))));
  });

  for (const r of [repo, tpl, published]) await bot.rest.repos.delete(r).catch(() => undefined);
}
