import { afterAll, beforeAll, expect, test } from 'bun:test';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Octokit } from '@octokit/rest';
import { cloneHarness } from '../support/clones.ts';
import { describeDocker, inCI } from '../support/docker.ts';

/**
 * A --tls GitHub clone as Enterprise Server: certificates from the home's CA (keys 0600),
 * the REST API under /api/v3, and Debian's gh (scripts/setup.sh installs it) creating,
 * listing and closing issues with nothing but the variables `asym tokens --env --for gh`
 * prints.
 */
const h = cloneHarness('tools-tls');
let clone: any;
let ghEnv: Record<string, string>;
let ca: string;
const ghConfig = mkdtempSync(join(tmpdir(), 'asym-gh-'));
const haveGh = Boolean(Bun.which('gh'));

async function gh(args: string[], env: Record<string, string> = ghEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  // Only PATH, a private config dir and the printed variables: no token of the machine leaks in.
  const p = Bun.spawn(['gh', ...args], { env: { PATH: process.env.PATH!, HOME: ghConfig, GH_CONFIG_DIR: ghConfig, NO_COLOR: '1', ...env }, stdout: 'pipe', stderr: 'pipe' });
  const [stdout, stderr, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  return { code, stdout, stderr };
}

const mode = (p: string) => statSync(p).mode & 0o777;

describeDocker('github clone over HTTPS, as Enterprise Server', () => {
  beforeAll(async () => {
    clone = await h.spin('github', ['--tls']);
    const r = await h.run(['tokens', clone.id, '--env', '--for', 'gh', '--json']);
    expect(r.code).toBe(0);
    ghEnv = r.json;
    ca = readFileSync(ghEnv.NODE_EXTRA_CA_CERTS!, 'utf8');
  }, 180_000);
  afterAll(async () => {
    await h.cleanup();
    rmSync(ghConfig, { recursive: true, force: true });
  }, 60_000);

  test('the clone record says tls and its endpoint is https; private keys are 0600 in 0700 directories', () => {
    expect(clone.tls).toBe(true);
    expect(clone.endpoints.api).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const home = h.env.ASYM_HOME;
    expect(mode(join(home, 'tls', 'ca.key'))).toBe(0o600);
    expect(mode(join(home, 'tls'))).toBe(0o700);
    expect(mode(join(home, 'clones', clone.id, 'tls', 'key.pem'))).toBe(0o600);
    expect(mode(join(home, 'clones', clone.id, 'tls'))).toBe(0o700);
    expect(ghEnv).toMatchObject({ GH_HOST: new URL(clone.endpoints.api).host, GH_ENTERPRISE_TOKEN: clone.tokens.botToken });
    expect(readFileSync(ghEnv.SSL_CERT_FILE!, 'utf8')).toContain(ca.trim());
  });

  test('the certificate is checked: trusted with the home CA, refused without it', async () => {
    const ok = await fetch(`${clone.endpoints.api}/api/v3/user`, { headers: { authorization: `token ${clone.tokens.botToken}` }, tls: { ca } });
    expect(ok.status).toBe(200);
    expect(await fetch(`${clone.endpoints.api}/api/v3/user`).then(() => 'answered', (e: Error) => e.message)).toMatch(/certificate|self.signed/i);
  });

  test('Octokit with baseUrl …/api/v3: urls keep the prefix, html urls do not; Link headers page under it', async () => {
    const octokit = new Octokit({
      auth: clone.tokens.botToken,
      baseUrl: `${clone.endpoints.api}/api/v3`,
      request: { fetch: (url: string, init: RequestInit) => fetch(url, { ...init, tls: { ca } }) },
    });
    const repo = (await octokit.repos.createForAuthenticatedUser({ name: 'ghes-octo' })).data;
    expect(repo.url).toBe(`${clone.endpoints.api}/api/v3/repos/${repo.full_name}`);
    expect(repo.html_url).toBe(`${clone.endpoints.api}/${repo.full_name}`);
    for (let i = 0; i < 3; i++) await octokit.issues.create({ owner: repo.owner.login, repo: repo.name, title: `t${i}` });
    const page = await octokit.issues.listForRepo({ owner: repo.owner.login, repo: repo.name, per_page: 2 });
    expect(page.headers.link).toContain(`${clone.endpoints.api}/api/v3/repos/${repo.full_name}/issues?`);
    const all = await octokit.paginate(octokit.issues.listForRepo, { owner: repo.owner.login, repo: repo.name, per_page: 2 });
    expect(all.map((i) => i.title).sort()).toEqual(['t0', 't1', 't2']);
  });

  test.skipIf(!haveGh && !inCI)('gh (Debian) creates, lists and closes issues with GH_HOST and GH_ENTERPRISE_TOKEN', async () => {
    const me = await gh(['api', 'user', '--jq', '.login']);
    expect(me.stderr).toBe('');
    expect(me.stdout.trim()).toBe('asym-bot');
    const repo = await gh(['api', '-X', 'POST', 'user/repos', '-f', 'name=gh-demo', '--jq', '.full_name']);
    const full = repo.stdout.trim();
    expect(full).toBe('asym-bot/gh-demo');

    const made = await gh(['api', `repos/${full}/issues`, '-f', 'title=Filed by gh', '-f', 'body=over https', '--jq', '.number']);
    expect(made.code).toBe(0);
    const number = Number(made.stdout.trim());
    await gh(['api', `repos/${full}/issues`, '-f', 'title=Second']);
    const listed = await gh(['api', `repos/${full}/issues`, '--jq', '.[].title']);
    expect(listed.stdout.trim().split('\n').sort()).toEqual(['Filed by gh', 'Second']);

    const closed = await gh(['api', '-X', 'PATCH', `repos/${full}/issues/${number}`, '-f', 'state=closed', '-f', 'state_reason=completed', '--jq', '.state']);
    expect(closed.stdout.trim()).toBe('closed');
    const open = await gh(['api', `repos/${full}/issues?state=open`, '--jq', '.[].title']);
    expect(open.stdout.trim()).toBe('Second');

    // gh checks the certificate: without the CA bundle it refuses the clone.
    const { SSL_CERT_FILE: _drop, ...untrusted } = ghEnv;
    const refused = await gh(['api', 'user'], untrusted);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/certificate|x509/i);
  }, 60_000);

  test.skipIf(!haveGh && !inCI)('gh issue create, list, view and close speak GraphQL at /api/graphql; Octokit REST sees the same issues', async () => {
    const octokit = new Octokit({
      auth: clone.tokens.botToken,
      baseUrl: `${clone.endpoints.api}/api/v3`,
      request: { fetch: (url: string, init: RequestInit) => fetch(url, { ...init, tls: { ca } }) },
    });
    await octokit.repos.createForAuthenticatedUser({ name: 'gh-gql' });
    const R = ['-R', `${ghEnv.GH_HOST}/asym-bot/gh-gql`];
    const made = await gh(['issue', 'create', ...R, '--title', 'Made by gh issue', '--body', 'via graphql']);
    expect(made.stderr + made.stdout).toContain('/asym-bot/gh-gql/issues/1');
    expect(made.code).toBe(0);
    await octokit.issues.create({ owner: 'asym-bot', repo: 'gh-gql', title: 'Made by Octokit', labels: ['bug'] });

    const listed = await gh(['issue', 'list', ...R, '--json', 'number,title,state', '--jq', '.[] | "\\(.number) \\(.title) \\(.state)"']);
    expect(listed.stderr).toBe('');
    expect(listed.stdout.trim().split('\n')).toEqual(['2 Made by Octokit OPEN', '1 Made by gh issue OPEN']);

    const viewed = await gh(['issue', 'view', '1', ...R, '--json', 'title,body,author,state', '--jq', '"\\(.title)|\\(.body)|\\(.author.login)|\\(.state)"']);
    expect(viewed.stderr).toBe('');
    expect(viewed.stdout.trim()).toBe('Made by gh issue|via graphql|asym-bot|OPEN');
    const plain = await gh(['issue', 'view', '2', ...R]);
    expect(plain.stderr).toBe('');
    expect(plain.stdout).toContain('Made by Octokit');

    const closed = await gh(['issue', 'close', '1', ...R]);
    expect(closed.code).toBe(0);
    const rest = await octokit.issues.get({ owner: 'asym-bot', repo: 'gh-gql', issue_number: 1 });
    expect([rest.data.state, rest.data.state_reason, rest.data.body]).toEqual(['closed', 'completed', 'via graphql']);

    const open = await gh(['issue', 'list', ...R, '--json', 'number', '--jq', '.[].number']);
    expect(open.stdout.trim()).toBe('2');
    const all = await gh(['issue', 'list', ...R, '--state', 'closed', '--json', 'number', '--jq', '.[].number']);
    expect(all.stdout.trim()).toBe('1');
    const reopened = await gh(['issue', 'reopen', '1', ...R]);
    expect(reopened.code).toBe(0);
    expect((await octokit.issues.get({ owner: 'asym-bot', repo: 'gh-gql', issue_number: 1 })).data.state).toBe('open');
  }, 90_000);

  test('GraphQL directly: node ids are REST node_ids, unknown fields fail validation, errors in GitHub shape', async () => {
    const gql = async (query: string, variables?: Record<string, unknown>, token = clone.tokens.botToken) => {
      const res = await fetch(`${clone.endpoints.api}/api/graphql`, { method: 'POST', headers: { authorization: `bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }), tls: { ca } });
      return { status: res.status, body: (await res.json()) as any };
    };
    const octokit = new Octokit({ auth: clone.tokens.botToken, baseUrl: `${clone.endpoints.api}/api/v3`, request: { fetch: (url: string, init: RequestInit) => fetch(url, { ...init, tls: { ca } }) } });
    const repo = (await octokit.repos.createForAuthenticatedUser({ name: 'gql-direct' })).data;

    const v = await gql('{ viewer { login } repository(owner: "asym-bot", name: "gql-direct") { id nameWithOwner viewerPermission hasIssuesEnabled } }');
    expect(v.body.data).toEqual({ viewer: { login: 'asym-bot' }, repository: { id: repo.node_id, nameWithOwner: 'asym-bot/gql-direct', viewerPermission: 'ADMIN', hasIssuesEnabled: true } });

    const made = await gql('mutation($input: CreateIssueInput!) { createIssue(input: $input) { issue { id number title state } } }', { input: { repositoryId: repo.node_id, title: 'From GraphQL' } });
    const issue = made.body.data.createIssue.issue;
    expect(issue).toMatchObject({ number: 1, title: 'From GraphQL', state: 'OPEN' });
    expect((await octokit.issues.get({ owner: 'asym-bot', repo: 'gql-direct', issue_number: 1 })).data.node_id).toBe(issue.id);

    await octokit.issues.update({ owner: 'asym-bot', repo: 'gql-direct', issue_number: 1, state: 'closed', state_reason: 'not_planned' });
    const after = await gql('query($id: ID!) { node(id: $id) { ... on Issue { state stateReason } } }', { id: issue.id });
    expect(after.body.data.node).toEqual({ state: 'CLOSED', stateReason: 'NOT_PLANNED' });

    for (let i = 0; i < 3; i++) await octokit.issues.create({ owner: 'asym-bot', repo: 'gql-direct', title: `p${i}` });
    const page = `query($after: String) { repository(owner: "asym-bot", name: "gql-direct") { issues(first: 2, after: $after, states: [OPEN], orderBy: {field: CREATED_AT, direction: ASC}) { totalCount nodes { title } pageInfo { hasNextPage endCursor } } } }`;
    const p1 = (await gql(page)).body.data.repository.issues;
    expect([p1.totalCount, p1.nodes.map((n: any) => n.title), p1.pageInfo.hasNextPage]).toEqual([3, ['p0', 'p1'], true]);
    const p2 = (await gql(page, { after: p1.pageInfo.endCursor })).body.data.repository.issues;
    expect([p2.nodes.map((n: any) => n.title), p2.pageInfo.hasNextPage]).toEqual([['p2'], false]);

    const unknown = await gql('{ repository(owner: "asym-bot", name: "gql-direct") { issue(number: 1) { title notAField } } }');
    expect(unknown.status).toBe(200);
    expect(unknown.body.data).toBeUndefined();
    expect(unknown.body.errors[0]).toMatchObject({ message: "Field 'notAField' doesn't exist on type 'Issue'", extensions: { code: 'undefinedField', typeName: 'Issue', fieldName: 'notAField' } });

    const missing = await gql('{ repository(owner: "asym-bot", name: "nope") { id } }');
    expect(missing.body).toMatchObject({ data: { repository: null }, errors: [{ type: 'NOT_FOUND', path: ['repository'], message: "Could not resolve to a Repository with the name 'asym-bot/nope'." }] });

    const anon = await fetch(`${clone.endpoints.api}/graphql`, { method: 'POST', body: JSON.stringify({ query: '{ viewer { login } }' }), headers: { 'content-type': 'application/json' }, tls: { ca } });
    expect(anon.status).toBe(401);
  }, 60_000);

  test('stop and start keep HTTPS with the same certificate', async () => {
    const before = (await h.run(['tokens', clone.id, '--env', '--json'])).json;
    expect((await h.run(['stop', clone.id, '--json'])).code).toBe(0);
    expect((await h.run(['start', clone.id, '--json'])).code).toBe(0);
    const res = await fetch(`${clone.endpoints.api}/api/v3/user`, { headers: { authorization: `token ${clone.tokens.botToken}` }, tls: { ca } });
    expect(res.status).toBe(200);
    expect((await h.run(['tokens', clone.id, '--env', '--json'])).json).toEqual(before);
  }, 60_000);

  test('--tls on a mode with a web view is refused before anything is created', async () => {
    const r = await h.run(['spin', 'slack', '--mode', 'full', '--tls', '--name', `${clone.id}-web`, '--json']);
    expect(r.code).not.toBe(0);
    expect(r.json.error.code).toBe('NOT_SUPPORTED');
    expect((await h.run(['ls', '--json'])).json.map((c: any) => c.id)).toEqual([clone.id]);
  });
});
