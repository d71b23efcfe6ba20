/**
 * The authenticated user's own account lists (blocks, emails, SSH, SSH signing and GPG keys, social
 * accounts, interaction limits) and
 * GET /repositories, on the `acme` fixture, through @octokit/rest: GitHub's statuses and errors, the state each write leaves,
 * and `since` paging with its Link header.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import type { Octokit } from '@octokit/rest';
import { GPG_ED25519 } from '../../templates/github/verify/gpg-key.ts';
import { describeDocker } from '../support/docker.ts';
import { admin, newUser, octokit, schemaErrors, spinGithub, unique, type Clone, type Recorded, answerOf as status } from './helpers.ts';

/** A fresh ed25519 public key in OpenSSH format: string "ssh-ed25519", string key (32 bytes). */
function sshKey(comment = 'me@laptop'): string {
  const raw = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  const str = (b: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, b.length]), b]);
  return `ssh-ed25519 ${Buffer.concat([str(Buffer.from('ssh-ed25519')), str(raw)]).toString('base64')} ${comment}`;
}

/** A public key made once with gpg 2.2 (test data): rsa2048 [SC] expiring 2028-12-02; GPG_ED25519 is the other. */
const gpgRsa = () => Bun.file(join(import.meta.dir, 'fixtures', 'gpg-rsa.asc')).text();

describeDocker('github account lists and public repositories', () => {
  let clone: Clone;
  let cleanup: () => Promise<void>;
  const rec: Recorded[] = [];
  let bot: Octokit;
  let stranger: { login: string; token: string; id: number };
  let strangerKit: Octokit;

  beforeAll(async () => {
    const s = await spinGithub('gh-account');
    clone = s.clone;
    cleanup = () => s.h.cleanup();
    bot = octokit(clone, clone.tokens.botToken, rec);
    const seeded = (await s.h.run(['seed', clone.id, '--fixture', 'acme', '--json'])) as { code: number };
    expect(seeded.code).toBe(0);
    stranger = await newUser(clone, unique('stranger').slice(0, 30));
    strangerKit = octokit(clone, stranger.token, rec);
  }, 120_000);
  afterAll(async () => {
    await cleanup?.();
  }, 60_000);

  test('blocking: 204s, check answers 204 or 404, and the blocked user stops following and starring', async () => {
    const mine = { owner: 'asym-bot', repo: unique('blocked-stars') };
    await bot.rest.repos.createForAuthenticatedUser({ name: mine.repo });
    await strangerKit.rest.activity.starRepoForAuthenticatedUser(mine);
    await strangerKit.rest.users.follow({ username: 'asym-bot' });
    await bot.rest.users.follow({ username: stranger.login });
    expect((await bot.rest.repos.get(mine)).data.stargazers_count).toBe(1);

    expect((await status(bot.rest.users.checkBlocked({ username: stranger.login }))).status).toBe(404);
    expect((await bot.rest.users.block({ username: stranger.login })).status).toBe(204);
    expect((await bot.rest.users.block({ username: stranger.login })).status).toBe(204);
    expect((await bot.rest.users.checkBlocked({ username: stranger.login })).status).toBe(204);
    // Case-insensitive, as logins are.
    expect((await bot.rest.users.checkBlocked({ username: stranger.login.toUpperCase() })).status).toBe(204);
    expect((await bot.rest.users.listBlockedByAuthenticatedUser()).data.map((u) => u.login)).toEqual([stranger.login]);
    // Blocking is one-way: the stranger has blocked no one.
    expect((await status(strangerKit.rest.users.checkBlocked({ username: 'asym-bot' }))).status).toBe(404);
    expect((await strangerKit.rest.users.listBlockedByAuthenticatedUser()).data).toEqual([]);

    // GitHub: "The user stops following you"; "The user's stars ... are removed from your repositories".
    expect((await status(bot.rest.users.checkFollowingForUser({ username: stranger.login, target_user: 'asym-bot' }))).status).toBe(404);
    expect((await strangerKit.rest.activity.listReposStarredByAuthenticatedUser()).data).toEqual([]);
    expect((await bot.rest.repos.get(mine)).data.stargazers_count).toBe(0);

    // And while blocked they cannot follow, star, open issues, comment or react (403).
    expect((await status(strangerKit.rest.users.follow({ username: 'asym-bot' }))).status).toBe(403);
    expect((await status(strangerKit.rest.activity.starRepoForAuthenticatedUser(mine))).status).toBe(403);
    expect((await bot.rest.repos.get(mine)).data.stargazers_count).toBe(0);
    const opened = (await bot.rest.issues.create({ ...mine, title: 'by the owner' })).data;
    expect((await status(strangerKit.rest.issues.create({ ...mine, title: 'let me in' }))).status).toBe(403);
    expect((await status(strangerKit.rest.issues.createComment({ ...mine, issue_number: opened.number, body: 'hi' }))).status).toBe(403);
    expect((await status(strangerKit.rest.reactions.createForIssue({ ...mine, issue_number: opened.number, content: 'heart' }))).status).toBe(403);
    // Blocking is one-way: the bot can still follow the stranger.
    expect((await bot.rest.users.follow({ username: stranger.login })).status).toBe(204);

    await bot.rest.users.block({ username: 'alice' });
    expect((await bot.rest.users.listBlockedByAuthenticatedUser({ per_page: 1 })).data.map((u) => u.login)).toEqual([stranger.login]);
    const all = await bot.paginate(bot.rest.users.listBlockedByAuthenticatedUser, { per_page: 1 });
    expect(all.map((u) => u.login)).toEqual([stranger.login, 'alice']);

    expect((await bot.rest.users.unblock({ username: stranger.login })).status).toBe(204);
    expect((await bot.rest.users.unblock({ username: stranger.login })).status).toBe(204);
    expect((await status(bot.rest.users.checkBlocked({ username: stranger.login }))).status).toBe(404);
    expect((await bot.rest.users.listBlockedByAuthenticatedUser()).data.map((u) => u.login)).toEqual(['alice']);
    // Unblocked, they may star and comment again.
    expect((await strangerKit.rest.activity.starRepoForAuthenticatedUser(mine)).status).toBe(204);
    expect((await strangerKit.rest.issues.createComment({ ...mine, issue_number: opened.number, body: 'hi' })).status).toBe(201);
  });

  test('interaction limits are enforced on the owner\'s public repositories; the owner is exempt; removing lifts them', async () => {
    const mine = { owner: 'asym-bot', repo: unique('limited') };
    await bot.rest.repos.createForAuthenticatedUser({ name: mine.repo });
    const issue = (await bot.rest.issues.create({ ...mine, title: 'open to all' })).data;
    await bot.rest.interactions.setRestrictionsForAuthenticatedUser({ limit: 'collaborators_only' });
    try {
      const refused = await status(strangerKit.rest.issues.create({ ...mine, title: 'x' }));
      expect(refused.status).toBe(403);
      expect(refused.data.message).toBe('An owner of this repository has limited the ability to open an issue to users that are collaborators on this repository.');
      expect((await status(strangerKit.rest.issues.createComment({ ...mine, issue_number: issue.number, body: 'x' }))).status).toBe(403);
      expect((await status(strangerKit.rest.reactions.createForIssue({ ...mine, issue_number: issue.number, content: '+1' }))).status).toBe(403);
      // The owner is not limited; starring is not an interaction the limit covers.
      expect((await bot.rest.issues.createComment({ ...mine, issue_number: issue.number, body: 'mine' })).status).toBe(201);
      expect((await strangerKit.rest.activity.starRepoForAuthenticatedUser(mine)).status).toBe(204);
      // existing_users: the stranger's account is younger than 24 hours on the clone's clock.
      await bot.rest.interactions.setRestrictionsForAuthenticatedUser({ limit: 'existing_users' });
      expect((await status(strangerKit.rest.issues.createComment({ ...mine, issue_number: issue.number, body: 'x' }))).data.message).toBe('An owner of this repository has limited the ability to comment to users that have been on GitHub for more than 24 hours.');
    } finally {
      await bot.rest.interactions.removeRestrictionsForAuthenticatedUser();
    }
    expect((await strangerKit.rest.issues.createComment({ ...mine, issue_number: issue.number, body: 'now' })).status).toBe(201);
  });

  test('blocking: unknown users are 404, yourself 422, no token 401', async () => {
    const nobody = 'no-such-user-xyz';
    expect((await status(bot.rest.users.block({ username: nobody }))).status).toBe(404);
    expect((await status(bot.rest.users.unblock({ username: nobody }))).status).toBe(404);
    const check = await status(bot.rest.users.checkBlocked({ username: nobody }));
    expect(check.status).toBe(404);
    expect(check.data.message).toBe('Not Found');
    const self = await status(bot.rest.users.block({ username: 'asym-bot' }));
    expect(self.status).toBe(422);
    expect(self.data.message).toBe('Validation Failed');
    expect(self.data.errors[0]).toMatchObject({ resource: 'Block', code: 'custom', field: 'username' });
    const anon = octokit(clone, undefined);
    expect((await status(anon.rest.users.listBlockedByAuthenticatedUser())).status).toBe(401);
    expect((await status(anon.rest.users.block({ username: 'alice' }))).status).toBe(401);
  });

  test('GET /repositories: public repositories by id, paged by `since` with Link rel="next"', async () => {
    const hidden = unique('hidden');
    await strangerKit.rest.repos.createForAuthenticatedUser({ name: hidden, private: true });
    // Enough public repositories for a second page (GitHub's page is 100, per_page is not read).
    const have = (await bot.rest.repos.listPublic()).data.length;
    const names = Array.from({ length: Math.max(0, 101 - have) }, (_, i) => `${unique('pub')}-${i}`);
    for (let i = 0; i < names.length; i += 10) {
      await Promise.all(names.slice(i, i + 10).map((name) => strangerKit.rest.repos.createForAuthenticatedUser({ name })));
    }

    const first = await bot.rest.repos.listPublic({ per_page: 5 } as never);
    expect(first.data).toHaveLength(100);
    const ids = first.data.map((r) => r.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(first.data.every((r) => r.private === false)).toBe(true);
    const last = ids[ids.length - 1]!;
    expect(first.headers.link).toBe(`<${clone.endpoints.api}/repositories?since=${last}>; rel="next", <${clone.endpoints.api}/repositories{?since}>; rel="first"`);

    const second = await bot.rest.repos.listPublic({ since: last });
    expect(second.data.length).toBeGreaterThan(0);
    expect(second.data.every((r) => r.id > last)).toBe(true);
    expect(second.headers.link).toBeUndefined();

    const all = await bot.paginate(bot.rest.repos.listPublic);
    const fullNames = all.map((r) => r.full_name);
    expect(new Set(fullNames).size).toBe(fullNames.length);
    expect(fullNames).toEqual(expect.arrayContaining(['acme/web', 'acme/api', ...names.map((n) => `${stranger.login}/${n}`)]));
    expect(fullNames).not.toContain(`${stranger.login}/${hidden}`);
    expect(fullNames).not.toContain('acme/billing');
    expect((await bot.rest.repos.listPublic({ since: 2_000_000_000 })).data).toEqual([]);
  });

  test('emails: one primary, added ones unverified, one account per address, primary kept', async () => {
    const first = (await strangerKit.rest.users.listEmailsForAuthenticatedUser()).data;
    expect(first).toEqual([{ email: `${stranger.id}+${stranger.login}@users.noreply.github.com`, primary: true, verified: true, visibility: 'private' }]);
    const alice = octokit(clone, (await admin(clone, 'user-token', { user: 'alice' })).token, rec);
    expect((await alice.rest.users.listEmailsForAuthenticatedUser()).data).toEqual([{ email: 'alice@acme.test', primary: true, verified: true, visibility: 'public' }]);
    expect((await alice.rest.users.listPublicEmailsForAuthenticatedUser()).data.map((e) => e.email)).toEqual(['alice@acme.test']);

    const mine: [string, string] = [`${stranger.login}@work.test`, `${stranger.login}@home.test`];
    const added = await strangerKit.rest.users.addEmailForAuthenticatedUser({ emails: mine });
    expect(added.status).toBe(201);
    expect(added.data).toEqual(mine.map((email) => ({ email, primary: false, verified: false, visibility: null })));
    expect((await strangerKit.rest.users.listEmailsForAuthenticatedUser()).data.map((e) => e.email)).toEqual([first[0]!.email, ...mine]);

    const again = await status(strangerKit.rest.users.addEmailForAuthenticatedUser({ emails: [mine[0]!.toUpperCase()] }));
    expect(again.status).toBe(422);
    expect(again.data.errors[0]).toMatchObject({ resource: 'UserEmail', code: 'custom', field: 'email', message: 'email is already in use' });
    // Bob's profile address is his, though his list was never read.
    expect((await status(strangerKit.rest.users.addEmailForAuthenticatedUser({ emails: ['bob@acme.test'] }))).status).toBe(422);
    expect((await status(strangerKit.rest.users.addEmailForAuthenticatedUser({ emails: ['not-an-address'] }))).status).toBe(422);
    expect((await status(strangerKit.rest.users.addEmailForAuthenticatedUser({ emails: [] }))).status).toBe(422);
    expect((await status(strangerKit.rest.users.addEmailForAuthenticatedUser({} as never))).status).toBe(422);

    expect((await strangerKit.rest.users.deleteEmailForAuthenticatedUser({ emails: [mine[1]!] })).status).toBe(204);
    expect((await strangerKit.rest.users.listEmailsForAuthenticatedUser()).data.map((e) => e.email)).toEqual([first[0]!.email, mine[0]]);
    const primary = await status(strangerKit.rest.users.deleteEmailForAuthenticatedUser({ emails: [first[0]!.email] }));
    expect(primary.status).toBe(422);
    expect((await status(strangerKit.rest.users.deleteEmailForAuthenticatedUser({ emails: ['never@added.test'] }))).status).toBe(404);
    // A deleted address is free again.
    expect((await bot.rest.users.addEmailForAuthenticatedUser({ emails: [mine[1]!] })).status).toBe(201);

    expect((await strangerKit.rest.users.listPublicEmailsForAuthenticatedUser()).data).toEqual([]);
    const vis = await strangerKit.rest.users.setPrimaryEmailVisibilityForAuthenticatedUser({ visibility: 'public' });
    expect(vis.data.find((e) => e.primary)?.visibility).toBe('public');
    expect((await strangerKit.rest.users.listPublicEmailsForAuthenticatedUser()).data.map((e) => e.email)).toEqual([first[0]!.email]);
    expect((await status(strangerKit.rest.users.setPrimaryEmailVisibilityForAuthenticatedUser({ visibility: 'secret' as never }))).status).toBe(422);
    expect((await status(octokit(clone, undefined).rest.users.listEmailsForAuthenticatedUser())).status).toBe(401);
  });

  test('SSH keys: created, read, listed for anyone, deleted; bad and reused keys are 422', async () => {
    const key = sshKey();
    const bare = key.split(' ').slice(0, 2).join(' ');
    const made = await strangerKit.rest.users.createPublicSshKeyForAuthenticatedUser({ title: 'laptop', key });
    expect(made.status).toBe(201);
    expect(made.data).toMatchObject({ key: bare, title: 'laptop', verified: true, read_only: false, url: `${clone.endpoints.api}/user/keys/${made.data.id}` });
    expect((await strangerKit.rest.users.getPublicSshKeyForAuthenticatedUser({ key_id: made.data.id })).data.key).toBe(bare);
    expect((await strangerKit.rest.users.listPublicSshKeysForAuthenticatedUser()).data.map((k) => k.id)).toEqual([made.data.id]);
    expect((await bot.rest.users.listPublicKeysForUser({ username: stranger.login })).data.map((k) => [k.id, k.key])).toEqual([[made.data.id, bare]]);
    expect((await status(bot.rest.users.listPublicKeysForUser({ username: 'no-such-user-xyz' }))).status).toBe(404);
    // Another account's key is not yours to read or delete.
    expect((await status(bot.rest.users.getPublicSshKeyForAuthenticatedUser({ key_id: made.data.id }))).status).toBe(404);
    expect((await status(bot.rest.users.deletePublicSshKeyForAuthenticatedUser({ key_id: made.data.id }))).status).toBe(404);

    const reused = await status(bot.rest.users.createPublicSshKeyForAuthenticatedUser({ title: 'copy', key: bare }));
    expect(reused.status).toBe(422);
    expect(reused.data.errors[0]).toMatchObject({ resource: 'PublicKey', code: 'custom', field: 'key', message: 'key is already in use' });
    for (const bad of ['not a key', 'ssh-ed25519 AAAA', `ssh-rsa ${bare.split(' ')[1]}`, 'ssh-foo AAAAC3NzaC1lZDI1NTE5']) {
      const r = await status(bot.rest.users.createPublicSshKeyForAuthenticatedUser({ title: 'bad', key: bad }));
      expect(r.status).toBe(422);
      expect(r.data.errors[0]).toMatchObject({ resource: 'PublicKey', code: 'custom', field: 'key' });
    }
    expect((await status(bot.rest.users.createPublicSshKeyForAuthenticatedUser({ title: 'none' } as never))).data.errors[0]).toMatchObject({ code: 'missing_field', field: 'key' });

    expect((await strangerKit.rest.users.deletePublicSshKeyForAuthenticatedUser({ key_id: made.data.id })).status).toBe(204);
    expect((await status(strangerKit.rest.users.getPublicSshKeyForAuthenticatedUser({ key_id: made.data.id }))).status).toBe(404);
    expect((await bot.rest.users.listPublicKeysForUser({ username: stranger.login })).data).toEqual([]);
    expect((await bot.rest.users.createPublicSshKeyForAuthenticatedUser({ title: 'now mine', key })).status).toBe(201);
  });

  test('SSH signing keys: their own list beside authentication keys', async () => {
    const key = sshKey();
    const auth = await strangerKit.rest.users.createPublicSshKeyForAuthenticatedUser({ title: 'auth', key });
    const signing = await strangerKit.rest.users.createSshSigningKeyForAuthenticatedUser({ title: 'signing', key });
    expect(signing.status).toBe(201);
    expect(Object.keys(signing.data).sort()).toEqual(['created_at', 'id', 'key', 'title']);
    expect(signing.data.id).not.toBe(auth.data.id);
    expect((await strangerKit.rest.users.listSshSigningKeysForAuthenticatedUser()).data.map((k) => k.id)).toEqual([signing.data.id]);
    expect((await bot.rest.users.listSshSigningKeysForUser({ username: stranger.login })).data.map((k) => k.title)).toEqual(['signing']);
    expect((await strangerKit.rest.users.getSshSigningKeyForAuthenticatedUser({ ssh_signing_key_id: signing.data.id })).data.title).toBe('signing');
    // The ids are per kind: an authentication key is not a signing key.
    expect((await status(strangerKit.rest.users.getSshSigningKeyForAuthenticatedUser({ ssh_signing_key_id: auth.data.id }))).status).toBe(404);
    const reused = await status(bot.rest.users.createSshSigningKeyForAuthenticatedUser({ title: 'copy', key }));
    expect(reused.status).toBe(422);
    expect(reused.data.errors[0]).toMatchObject({ resource: 'SshSigningKey', field: 'key', message: 'key is already in use' });
    expect((await strangerKit.rest.users.deleteSshSigningKeyForAuthenticatedUser({ ssh_signing_key_id: signing.data.id })).status).toBe(204);
    expect((await strangerKit.rest.users.listSshSigningKeysForAuthenticatedUser()).data).toEqual([]);
    expect((await strangerKit.rest.users.getPublicSshKeyForAuthenticatedUser({ key_id: auth.data.id })).data.title).toBe('auth');
  });

  test('GPG keys: read from the armored key, subkeys and emails included; one account per key', async () => {
    const armored = GPG_ED25519;
    // The key's user id is this address; it counts as verified once it is a verified address of the account.
    const made = await bot.rest.users.createGpgKeyForAuthenticatedUser({ name: 'laptop', armored_public_key: armored });
    expect(made.status).toBe(201);
    expect(made.data).toMatchObject({
      name: 'laptop', primary_key_id: null, key_id: 'AADB792634AFE2D3', raw_key: armored, revoked: false, expires_at: null,
      can_sign: true, can_certify: true, can_encrypt_comms: false, can_encrypt_storage: false,
      emails: [{ email: 'asym-bot@users.noreply.test', verified: false }],
      created_at: '2026-12-03T14:23:51Z',
    });
    expect(made.data.public_key.startsWith('mDME')).toBe(true);
    expect(made.data.subkeys).toHaveLength(1);
    expect(made.data.subkeys[0]).toMatchObject({ primary_key_id: made.data.id, key_id: '5BA39F11E949697B', can_sign: false, can_encrypt_comms: true, can_encrypt_storage: true });

    const rsa = await bot.rest.users.createGpgKeyForAuthenticatedUser({ armored_public_key: await gpgRsa() });
    expect(rsa.data).toMatchObject({ name: null, key_id: 'D39FB8673E2DDE13', expires_at: '2028-12-02T14:23:51Z', subkeys: [], emails: [{ email: 'second@example.test', verified: false }] });
    expect((await bot.rest.users.listGpgKeysForAuthenticatedUser()).data.map((k) => k.key_id)).toEqual(['AADB792634AFE2D3', 'D39FB8673E2DDE13']);
    expect((await strangerKit.rest.users.listGpgKeysForUser({ username: 'asym-bot' })).data.map((k) => k.id)).toEqual([made.data.id, rsa.data.id]);
    expect((await bot.rest.users.getGpgKeyForAuthenticatedUser({ gpg_key_id: made.data.id })).data.key_id).toBe('AADB792634AFE2D3');
    // A subkey is not a key of its own, and another account's key is not yours.
    expect((await status(bot.rest.users.getGpgKeyForAuthenticatedUser({ gpg_key_id: made.data.subkeys[0]!.id! }))).status).toBe(404);
    expect((await status(strangerKit.rest.users.getGpgKeyForAuthenticatedUser({ gpg_key_id: made.data.id }))).status).toBe(404);
    expect((await status(strangerKit.rest.users.deleteGpgKeyForAuthenticatedUser({ gpg_key_id: made.data.id }))).status).toBe(404);

    const reused = await status(strangerKit.rest.users.createGpgKeyForAuthenticatedUser({ armored_public_key: armored }));
    expect(reused.status).toBe(422);
    expect(reused.data.errors[0]).toMatchObject({ resource: 'GpgKey', code: 'custom', field: 'key_id', message: 'key_id already exists' });
    const corrupt = armored.replace(/\n([A-Za-z0-9+/]{10})/, (_m, s: string) => `\n${s.split('').reverse().join('')}`);
    for (const bad of ['not a key', corrupt, armored.replace('PUBLIC KEY BLOCK', 'PRIVATE KEY BLOCK')]) {
      const r = await status(strangerKit.rest.users.createGpgKeyForAuthenticatedUser({ armored_public_key: bad }));
      expect(r.status).toBe(422);
      expect(r.data.errors[0]).toMatchObject({ resource: 'GpgKey', code: 'custom', field: 'armored_public_key' });
    }
    expect((await status(strangerKit.rest.users.createGpgKeyForAuthenticatedUser({} as never))).data.errors[0]).toMatchObject({ code: 'missing_field', field: 'armored_public_key' });

    expect((await bot.rest.users.deleteGpgKeyForAuthenticatedUser({ gpg_key_id: made.data.id })).status).toBe(204);
    expect((await bot.rest.users.listGpgKeysForAuthenticatedUser()).data.map((k) => k.key_id)).toEqual(['D39FB8673E2DDE13']);
    // Deleted with its subkeys; the key is free for another account.
    const theirs = await strangerKit.rest.users.createGpgKeyForAuthenticatedUser({ armored_public_key: armored });
    expect(theirs.data.subkeys.map((k) => k.key_id)).toEqual(['5BA39F11E949697B']);
  });

  test('social accounts: providers from the URL, four at most, listed for anyone, deleted', async () => {
    const urls: [string, string, string] = ['https://twitter.com/asym', 'https://www.linkedin.com/in/asym/', 'https://fosstodon.org/@asym'];
    const added = await strangerKit.rest.users.addSocialAccountForAuthenticatedUser({ account_urls: urls });
    expect(added.status).toBe(201);
    expect(added.data).toEqual([
      { provider: 'twitter', url: urls[0] },
      { provider: 'linkedin', url: urls[1] },
      { provider: 'mastodon', url: urls[2] },
    ]);
    // Already there: nothing added.
    expect((await strangerKit.rest.users.addSocialAccountForAuthenticatedUser({ account_urls: [urls[0]!] })).data).toEqual([]);
    expect((await bot.rest.users.listSocialAccountsForUser({ username: stranger.login })).data.map((a) => a.provider)).toEqual(['twitter', 'linkedin', 'mastodon']);
    const tooMany = await status(strangerKit.rest.users.addSocialAccountForAuthenticatedUser({ account_urls: ['https://example.test/me', 'https://example.test/you'] }));
    expect(tooMany.status).toBe(422);
    expect(tooMany.data.errors[0]).toMatchObject({ resource: 'SocialAccount', field: 'account_urls' });
    expect((await status(strangerKit.rest.users.addSocialAccountForAuthenticatedUser({ account_urls: ['not a url'] }))).status).toBe(422);
    expect((await status(strangerKit.rest.users.addSocialAccountForAuthenticatedUser({} as never))).status).toBe(422);
    expect((await strangerKit.rest.users.addSocialAccountForAuthenticatedUser({ account_urls: ['https://example.test/me'] })).data).toEqual([{ provider: 'generic', url: 'https://example.test/me' }]);

    expect((await strangerKit.rest.users.deleteSocialAccountForAuthenticatedUser({ account_urls: [urls[0]!, urls[2]!] })).status).toBe(204);
    expect((await strangerKit.rest.users.listSocialAccountsForAuthenticatedUser()).data.map((a) => a.url)).toEqual([urls[1], 'https://example.test/me']);
    expect((await bot.rest.users.listSocialAccountsForAuthenticatedUser()).data).toEqual([]);
    expect((await status(bot.rest.users.listSocialAccountsForUser({ username: 'no-such-user-xyz' }))).status).toBe(404);
  });

  test('interaction limits: none is {}, set with an expiry, replaced, removed; bad values 422', async () => {
    expect((await strangerKit.rest.interactions.getRestrictionsForAuthenticatedUser()).data).toEqual({});
    const set = await strangerKit.rest.interactions.setRestrictionsForAuthenticatedUser({ limit: 'collaborators_only', expiry: 'one_week' });
    expect(set.status).toBe(200);
    expect(set.data).toMatchObject({ limit: 'collaborators_only', origin: 'user' });
    expect((await strangerKit.rest.interactions.getRestrictionsForAuthenticatedUser()).data).toEqual(set.data);
    // one_day when no expiry is given; a new limit replaces the old one. Expiries run on the
    // clone's clock (the fixture's world), so they are compared with each other.
    const again = await strangerKit.rest.interactions.setRestrictionsForAuthenticatedUser({ limit: 'existing_users' });
    expect(Math.abs(Date.parse(set.data.expires_at) - Date.parse(again.data.expires_at) - 6 * 86_400_000)).toBeLessThan(120_000);
    expect((await strangerKit.rest.interactions.getRestrictionsForAuthenticatedUser()).data).toMatchObject({ limit: 'existing_users' });
    // Per user: the bot has none.
    expect((await bot.rest.interactions.getRestrictionsForAuthenticatedUser()).data).toEqual({});
    for (const body of [{ limit: 'everyone' }, { limit: 'existing_users', expiry: 'forever' }, {}]) {
      const r = await status(strangerKit.rest.interactions.setRestrictionsForAuthenticatedUser(body as never));
      expect(r.status).toBe(422);
      expect(r.data.errors[0].resource).toBe('InteractionLimit');
    }
    expect((await strangerKit.rest.interactions.removeRestrictionsForAuthenticatedUser()).status).toBe(204);
    expect((await strangerKit.rest.interactions.getRestrictionsForAuthenticatedUser()).data).toEqual({});
    expect((await status(octokit(clone, undefined).rest.interactions.getRestrictionsForAuthenticatedUser())).status).toBe(401);
  });

  test('every successful response validates against its schema', () => {
    const failures = rec.flatMap((r) => schemaErrors(r).map((e) => `${r.key}: ${e}`));
    expect(failures).toEqual([]);
  });
});
