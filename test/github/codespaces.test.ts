/**
 * The authenticated user's codespaces and codespaces secrets through @octokit/rest: the
 * state machine (Available, stop: Shutdown, start: Available with a pending machine
 * applied), exports writing a branch, publishing a template's codespace, secrets sealed
 * for the user's key with their selected repositories, and the `codespace` scope.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { randomBytes } from 'node:crypto';
import type { Octokit } from '@octokit/rest';
import { describeDocker } from '../support/docker.ts';
import { admin, octokit, schemaErrors, spinGithub, unique, type Clone, type Recorded, answerOf as status } from './helpers.ts';

/** What a sealed box of a short value weighs: 32 bytes of ephemeral key, 16 of MAC, the value. */
const sealed = () => randomBytes(48 + 12).toString('base64');

describeDocker('github codespaces for the authenticated user', () => {
  let clone: Clone;
  let cleanup: () => Promise<void>;
  const rec: Recorded[] = [];
  let bot: Octokit;
  let repo: { owner: string; repo: string; id: number };

  beforeAll(async () => {
    const s = await spinGithub('gh-codespaces');
    clone = s.clone;
    cleanup = () => s.h.cleanup();
    bot = octokit(clone, clone.tokens.botToken, rec);
    const name = unique('cs');
    const made = (await bot.rest.repos.createForAuthenticatedUser({ name, auto_init: true })).data;
    repo = { owner: 'asym-bot', repo: name, id: made.id };
  }, 120_000);
  afterAll(async () => {
    await cleanup?.();
  }, 60_000);

  test('create, stop, start with a pending machine, list, delete', async () => {
    const made = await bot.rest.codespaces.createForAuthenticatedUser({ repository_id: repo.id, machine: 'basicLinux32gb', geo: 'EuropeWest', display_name: 'my space' });
    expect(made.status).toBe(201);
    const cs = made.data;
    expect(cs.state).toBe('Available');
    expect(cs.repository.full_name).toBe(`asym-bot/${repo.repo}`);
    expect(cs.location).toBe('WestEurope');
    expect(cs.git_status.ref).toBe('main');
    expect(cs.display_name).toBe('my space');

    const patched = (await bot.rest.codespaces.updateForAuthenticatedUser({ codespace_name: cs.name, machine: 'premiumLinux', recent_folders: ['/workspaces/x'] })).data;
    expect(patched.machine?.name).toBe('basicLinux32gb'); // applied at the next start
    expect(patched.recent_folders).toEqual(['/workspaces/x']);
    const stopped = (await bot.rest.codespaces.stopForAuthenticatedUser({ codespace_name: cs.name })).data;
    expect(stopped.state).toBe('Shutdown');
    expect((await bot.rest.codespaces.getForAuthenticatedUser({ codespace_name: cs.name })).data.state).toBe('Shutdown');
    const started = (await bot.rest.codespaces.startForAuthenticatedUser({ codespace_name: cs.name })).data;
    expect(started.state).toBe('Available');
    expect(started.machine?.name).toBe('premiumLinux');

    const machines = (await bot.rest.codespaces.codespaceMachinesForAuthenticatedUser({ codespace_name: cs.name })).data;
    expect(machines.machines.map((m) => m.name)).toContain('premiumLinux');
    const listed = (await bot.rest.codespaces.listForAuthenticatedUser({ repository_id: repo.id })).data;
    expect(listed.codespaces.map((c) => c.name)).toContain(cs.name);
    expect((await bot.rest.codespaces.listForAuthenticatedUser({ repository_id: 1 })).data.total_count).toBe(0);

    expect((await bot.rest.codespaces.deleteForAuthenticatedUser({ codespace_name: cs.name })).status).toBe(202);
    expect((await status(bot.rest.codespaces.getForAuthenticatedUser({ codespace_name: cs.name }))).status).toBe(404);
  });

  test('create refuses a bad body, an unknown repository, ref and machine; other users see nothing', async () => {
    expect((await status(bot.request('POST /user/codespaces', {} as never))).status).toBe(422);
    expect((await status(bot.rest.codespaces.createForAuthenticatedUser({ repository_id: 999_999 }))).status).toBe(404);
    expect((await status(bot.rest.codespaces.createForAuthenticatedUser({ repository_id: repo.id, ref: 'no-such-branch' }))).status).toBe(422);
    expect((await status(bot.rest.codespaces.createForAuthenticatedUser({ repository_id: repo.id, machine: 'quantum' }))).status).toBe(422);
    const cs = (await bot.rest.codespaces.createForAuthenticatedUser({ repository_id: repo.id })).data;
    const adminKit = octokit(clone, clone.tokens.userToken, rec);
    expect((await status(adminKit.rest.codespaces.getForAuthenticatedUser({ codespace_name: cs.name }))).status).toBe(404);
    // A classic token without `codespace` is GitHub's 404.
    const narrow = await admin(clone, 'user-token', { user: 'asym-bot', scopes: ['repo'] });
    const narrowKit = octokit(clone, narrow.token);
    const refused = await status(narrowKit.rest.codespaces.listForAuthenticatedUser());
    expect(refused.status).toBe(404);
  });

  test('export writes the codespace branch; export details by id and latest', async () => {
    const cs = (await bot.rest.codespaces.createForAuthenticatedUser({ repository_id: repo.id })).data;
    const ex = await bot.rest.codespaces.exportForAuthenticatedUser({ codespace_name: cs.name });
    expect(ex.status).toBe(202);
    expect(ex.data.state).toBe('succeeded');
    const branch = (await bot.rest.repos.getBranch({ ...repo, branch: `codespace-${cs.name}` })).data;
    expect(branch.commit.sha).toBe(ex.data.sha!);
    const byId = (await bot.rest.codespaces.getExportDetailsForAuthenticatedUser({ codespace_name: cs.name, export_id: ex.data.id! })).data;
    const latest = (await bot.rest.codespaces.getExportDetailsForAuthenticatedUser({ codespace_name: cs.name, export_id: 'latest' })).data;
    expect(byId.branch).toBe(`codespace-${cs.name}`);
    expect(latest.id).toBe(ex.data.id);
    expect((await status(bot.rest.codespaces.getExportDetailsForAuthenticatedUser({ codespace_name: cs.name, export_id: '12' }))).status).toBe(404);
  });

  test('a template repository\'s codespace publishes once, to a new repository', async () => {
    const tpl = (await bot.rest.repos.createForAuthenticatedUser({ name: unique('tpl'), auto_init: true, is_template: true })).data;
    const cs = (await bot.rest.codespaces.createForAuthenticatedUser({ repository_id: tpl.id })).data;
    expect(cs.publish_url).toBeString();
    const name = unique('published');
    const pub = await bot.rest.codespaces.publishForAuthenticatedUser({ codespace_name: cs.name, name, private: true });
    expect(pub.status).toBe(201);
    expect(pub.data.repository.full_name).toBe(`asym-bot/${name}`);
    expect(pub.data.repository.private).toBe(true);
    expect(pub.data.publish_url).toBeNull();
    expect((await bot.rest.repos.get({ owner: 'asym-bot', repo: name })).data.id).toBe(pub.data.repository.id);
    expect((await status(bot.rest.codespaces.publishForAuthenticatedUser({ codespace_name: cs.name, name: unique('again') }))).status).toBe(422);
  });

  test('secrets: sealed for the user\'s key, never shown, with their selected repositories', async () => {
    const key = (await bot.rest.codespaces.getPublicKeyForAuthenticatedUser()).data;
    expect(Buffer.from(key.key, 'base64').length).toBe(32);
    const name = `TOKEN_${Date.now()}`;
    const made = await bot.rest.codespaces.createOrUpdateSecretForAuthenticatedUser({ secret_name: name, encrypted_value: sealed(), key_id: key.key_id, selected_repository_ids: [repo.id] });
    expect(made.status).toBe(201);
    const again = await bot.rest.codespaces.createOrUpdateSecretForAuthenticatedUser({ secret_name: name.toLowerCase(), encrypted_value: sealed(), key_id: key.key_id });
    expect(again.status as number).toBe(204);
    const got = (await bot.rest.codespaces.getSecretForAuthenticatedUser({ secret_name: name })).data;
    expect(got.name).toBe(name);
    expect(JSON.stringify(got)).not.toContain('encrypted');
    expect((await bot.rest.codespaces.listSecretsForAuthenticatedUser()).data.secrets.map((s) => s.name)).toContain(name);
    const repos = async () => (await bot.rest.codespaces.listRepositoriesForSecretForAuthenticatedUser({ secret_name: name })).data.repositories.map((r) => r.id);
    expect(await repos()).toEqual([repo.id]);
    const other = (await bot.rest.repos.createForAuthenticatedUser({ name: unique('cs-other') })).data;
    expect((await bot.rest.codespaces.addRepositoryForSecretForAuthenticatedUser({ secret_name: name, repository_id: other.id })).status).toBe(204);
    expect((await repos()).sort()).toEqual([repo.id, other.id].sort());
    await bot.rest.codespaces.removeRepositoryForSecretForAuthenticatedUser({ secret_name: name, repository_id: repo.id });
    expect(await repos()).toEqual([other.id]);
    await bot.rest.codespaces.setRepositoriesForSecretForAuthenticatedUser({ secret_name: name, selected_repository_ids: [repo.id] });
    expect(await repos()).toEqual([repo.id]);
    expect((await status(bot.rest.codespaces.setRepositoriesForSecretForAuthenticatedUser({ secret_name: name, selected_repository_ids: [999_999] }))).status).toBe(404);

    expect((await status(bot.rest.codespaces.createOrUpdateSecretForAuthenticatedUser({ secret_name: 'OTHER', encrypted_value: sealed(), key_id: 'wrong' }))).status).toBe(422);
    expect((await status(bot.rest.codespaces.createOrUpdateSecretForAuthenticatedUser({ secret_name: 'OTHER', encrypted_value: 'c2hvcnQ=', key_id: key.key_id }))).status).toBe(422);
    expect((await status(bot.rest.codespaces.createOrUpdateSecretForAuthenticatedUser({ secret_name: 'GITHUB_X', encrypted_value: sealed(), key_id: key.key_id }))).status).toBe(422);

    expect((await bot.rest.codespaces.deleteSecretForAuthenticatedUser({ secret_name: name })).status).toBe(204);
    expect((await status(bot.rest.codespaces.getSecretForAuthenticatedUser({ secret_name: name }))).status).toBe(404);
    const secretsOnly = await admin(clone, 'user-token', { user: 'asym-bot', scopes: ['codespace:secrets'] });
    expect((await octokit(clone, secretsOnly.token).rest.codespaces.listSecretsForAuthenticatedUser()).status).toBe(200);
  });

  test('every answer matches GitHub\'s schema', () => {
    const problems = rec.filter((r) => r.status < 300 && r.status !== 204 && r.key.includes('/user/codespaces')).flatMap(schemaErrors);
    expect(problems).toEqual([]);
  });
});
