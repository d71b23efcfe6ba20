import type { SQL } from 'bun';
import { randomString } from '../../_kit/auth.ts';
import type { KitContext, RecordsOutcome } from '../../_kit/types.ts';
import { addEvent, resolveLabels, setIssueAssignees, setIssueLabels } from './handlers/issue-model.ts';
import { DEFAULT_LABELS } from './default-labels.ts';
import { ORG_ID } from './provision.ts';
import { ACCOUNT_ENTITIES, seedAccountRecords } from './seed-account-records.ts';
import type { IssueRow, RepoRow, UserRow } from './types.ts';

/**
 * Records from an AI seed (or a harness): users, repositories, issues, validated one by
 * one and written in that order, so later ones may refer to earlier ones (or to rows that
 * were there already: the organisation `acme`, its provisioned users, a fixture pack's).
 * A bad record is rejected with a reason and counted; it never fails the batch.
 *
 *   users:        { login, name?, email?, bio?, company?, location? }
 *                 a User that joins the organisation acme as a member (so it can be
 *                 assigned acme's issues); it can get a token from /__asym/github/user-token
 *   repositories: { owner: login, name, description?, private?, topics?, language?, has_issues? }
 *                 with GitHub's default labels and a `main` branch
 *   issues:       { repository: "owner/name" | name, title, body?, author: login,
 *                   labels?: [name], assignees?: [login], state?: open|closed,
 *                   comments?: [{ author: login, body }] }
 *                 numbered after the repository's last issue; unknown labels are created;
 *                 a bare repository name must match exactly one repository (this batch's
 *                 first); assignees must be assignable (the owner, or a member of the
 *                 owning organisation), as the API requires
 *   packages, ...: see seed-account-records.ts
 */

type Rec = Record<string, unknown>;
const ENTITIES = ['users', 'repositories', 'issues', ...ACCOUNT_ENTITIES];
const LOGIN = /^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$/;
const REPO_NAME = /^[A-Za-z0-9._-]{1,100}$/;
const TOPIC = /^[a-z0-9][a-z0-9-]{0,49}$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

const s = (v: unknown) => (typeof v === 'string' ? v : undefined);
const isLogin = (v: unknown): v is string => typeof v === 'string' && v.length <= 39 && LOGIN.test(v);
const isRepoName = (v: unknown): v is string => typeof v === 'string' && REPO_NAME.test(v) && v !== '.' && v !== '..';

/** An optional string field: undefined when absent, a reason when invalid. */
function optText(r: Rec, field: string, max: number): { value: string | null } | { reason: string } {
  const v = r[field];
  if (v === undefined || v === null) return { value: null };
  if (typeof v !== 'string') return { reason: `${field} must be a string` };
  if (v.length > max) return { reason: `${field} is longer than ${max} characters` };
  return { value: v };
}

function optBool(r: Rec, field: string): { value: boolean | undefined } | { reason: string } {
  const v = r[field];
  if (v === undefined || v === null) return { value: undefined };
  if (typeof v !== 'boolean') return { reason: `${field} must be true or false` };
  return { value: v };
}

function stringList(r: Rec, field: string): string[] | { reason: string } {
  const v = r[field];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) return { reason: `${field} must be a list of strings` };
  return v as string[];
}

const sha = () => randomString(40, '0123456789abcdef');

interface RepoRef {
  id: number;
  full: string;
  ownerId: number;
  ownerType: UserRow['type'];
  hasIssues: boolean;
}

export async function seedGithubRecords(ctx: KitContext, records: Record<string, unknown[]>): Promise<RecordsOutcome> {
  const out: RecordsOutcome = { written: 0, rejected: 0, rejections: [], warnings: [] };
  const db = ctx.db;
  const [org] = await db.q<{ id: number }>`select id from users where id = ${ORG_ID}`;
  if (!org) {
    out.warnings.push('clone not provisioned');
    return out;
  }
  for (const entity of Object.keys(records)) {
    if (!ENTITIES.includes(entity)) out.warnings.push(`unknown entity ${entity}; skipped`);
  }
  const reject = (entity: string, index: number, reason: string) => {
    out.rejected++;
    out.rejections.push({ entity, index, reason });
  };
  /** Runs one record; an unexpected failure rejects it instead of failing the batch. */
  const guarded = async (entity: string, index: number, fn: () => Promise<string | null>) => {
    try {
      const reason = await fn();
      if (reason) reject(entity, index, reason);
      else out.written++;
    } catch (e) {
      ctx.log(`seed ${entity}[${index}] failed: ${(e as Error)?.stack ?? e}`);
      reject(entity, index, `could not be written: ${(e as Error)?.message ?? String(e)}`);
    }
  };
  const userByLogin = async (login: string): Promise<UserRow | null> =>
    (await db.q<UserRow>`select * from users where lower(login) = lower(${login})`)[0] ?? null;
  /** A user who can author issues and comments (not an organisation). */
  const person = async (field: string, login: unknown): Promise<UserRow | string> => {
    if (!isLogin(login)) return `${field} must be a login`;
    const u = await userByLogin(login);
    if (!u) return `unknown user ${login} (${field})`;
    if (u.type === 'Organization') return `${login} is an organisation and cannot be ${field === 'author' ? 'an author' : `a ${field}`}`;
    return u;
  };

  for (const [i, raw] of (records.users ?? []).entries()) {
    await guarded('users', i, async () => {
      const u = (raw ?? {}) as Rec;
      const login = s(u.login)?.trim();
      if (!isLogin(login)) return 'login must be 1-39 letters, digits or single hyphens, not starting or ending with a hyphen';
      const name = optText(u, 'name', 255);
      const email = optText(u, 'email', 255);
      const bio = optText(u, 'bio', 160);
      const company = optText(u, 'company', 255);
      const location = optText(u, 'location', 255);
      for (const f of [name, email, bio, company, location]) if ('reason' in f) return f.reason;
      const [n, e, b, c, l] = [name, email, bio, company, location].map((f) => ('value' in f ? f.value : null));
      if (e && !EMAIL.test(e)) return 'email is not an email address';
      return db.tx(async (tx) => {
        const rows = await tx<{ id: number }[]>`insert into users (login, type, name, email, bio, company, location)
          values (${login}, 'User', ${n ?? null}, ${e ?? null}, ${b ?? null}, ${c ?? null}, ${l ?? null})
          on conflict do nothing returning id`;
        if (!rows[0]) return `login ${login} is taken`;
        await tx`insert into org_members (org_id, user_id, role) values (${ORG_ID}, ${rows[0].id}, 'member')`;
        return null;
      });
    });
  }

  /** Repositories written by this batch, by lower-cased bare name (bare references prefer them). */
  const batchRepos = new Map<string, RepoRef[]>();

  for (const [i, raw] of (records.repositories ?? []).entries()) {
    await guarded('repositories', i, async () => {
      const r = (raw ?? {}) as Rec;
      const name = s(r.name)?.trim();
      if (!isRepoName(name)) return 'name must be 1-100 letters, digits, dots, dashes or underscores (not . or ..)';
      const description = optText(r, 'description', 1000);
      if ('reason' in description) return description.reason;
      const priv = optBool(r, 'private');
      if ('reason' in priv) return priv.reason;
      const hasIssues = optBool(r, 'has_issues');
      if ('reason' in hasIssues) return hasIssues.reason;
      const topicList = stringList(r, 'topics');
      if (!Array.isArray(topicList)) return topicList.reason;
      const topics = [...new Set(topicList.map((t) => t.trim().toLowerCase()))];
      const badTopic = topics.find((t) => !TOPIC.test(t));
      if (badTopic !== undefined) return `topic "${badTopic}" is not lowercase letters, digits and hyphens (at most 50)`;
      if (topics.length > 20) return 'a repository has at most 20 topics';
      const language = optText(r, 'language', 50);
      if ('reason' in language) return language.reason;
      if (!isLogin(r.owner)) return 'owner must be a login';
      const owner = await userByLogin(r.owner);
      if (!owner) return `unknown owner ${r.owner}`;
      const languages = language.value?.trim() ? { [language.value.trim()]: 40_960 } : {};
      return db.tx(async (tx) => {
        const rows = await tx<RepoRow[]>`insert into repos (owner_id, name, description, private, has_issues, topics, languages, size, pushed_at)
          values (${owner.id}, ${name}, ${description.value}, ${priv.value ?? false}, ${hasIssues.value ?? true}, ${topics}::text[],
            ${JSON.stringify(languages)}::text::jsonb, ${Object.keys(languages).length ? 40 : 0}, now())
          on conflict do nothing returning *`;
        const repo = rows[0];
        if (!repo) return `repository ${owner.login}/${name} exists`;
        for (const [n, color, desc] of DEFAULT_LABELS) {
          await tx`insert into labels (repo_id, name, color, description, is_default) values (${repo.id}, ${n}, ${color}, ${desc}, true)`;
        }
        await tx`insert into branches (repo_id, name, sha) values (${repo.id}, ${repo.default_branch}, ${sha()})`;
        if (owner.type === 'User') await tx`insert into repo_contributors (repo_id, user_id, contributions) values (${repo.id}, ${owner.id}, 1)`;
        const ref: RepoRef = { id: repo.id, full: `${owner.login}/${repo.name}`, ownerId: owner.id, ownerType: owner.type, hasIssues: repo.has_issues };
        const key = repo.name.toLowerCase();
        batchRepos.set(key, [...(batchRepos.get(key) ?? []), ref]);
        return null;
      });
    });
  }

  const repoByRef = async (ref: string): Promise<RepoRef | string> => {
    const slash = ref.indexOf('/');
    const owner = slash >= 0 ? ref.slice(0, slash) : null;
    const name = slash >= 0 ? ref.slice(slash + 1) : ref;
    if (owner === null) {
      const mine = batchRepos.get(name.toLowerCase()) ?? [];
      if (mine.length === 1) return mine[0]!;
    }
    const rows = await db.q<{ id: number; login: string; name: string; owner_id: number; type: UserRow['type']; has_issues: boolean }>`
      select r.id, u.login, r.name, r.owner_id, u.type, r.has_issues from repos r join users u on u.id = r.owner_id
      where lower(r.name) = lower(${name}) and (${owner}::text is null or lower(u.login) = lower(${owner}))
      order by r.id limit 2`;
    if (!rows[0]) return `unknown repository ${ref}`;
    if (rows.length > 1) return `repository name ${ref} is ambiguous; give owner/name`;
    const x = rows[0];
    return { id: x.id, full: `${x.login}/${x.name}`, ownerId: x.owner_id, ownerType: x.type, hasIssues: x.has_issues };
  };

  for (const [i, raw] of (records.issues ?? []).entries()) {
    await guarded('issues', i, async () => {
      const r = (raw ?? {}) as Rec;
      const title = s(r.title)?.trim();
      if (!title) return 'title is required';
      if (title.length > 256) return 'title is longer than 256 characters';
      const body = optText(r, 'body', 65_536);
      if ('reason' in body) return body.reason;
      const state = r.state === undefined || r.state === null ? 'open' : r.state;
      if (state !== 'open' && state !== 'closed') return 'state must be open or closed';
      const labelNames = stringList(r, 'labels');
      if (!Array.isArray(labelNames)) return labelNames.reason;
      const labels = labelNames.map((l) => l.trim()).filter(Boolean);
      const longLabel = labels.find((l) => l.length > 50);
      if (longLabel) return `label "${longLabel.slice(0, 60)}…" is longer than 50 characters`;
      const assigneeLogins = stringList(r, 'assignees');
      if (!Array.isArray(assigneeLogins)) return assigneeLogins.reason;
      if (assigneeLogins.length > 10) return 'an issue has at most 10 assignees';
      const rawComments = r.comments ?? [];
      if (!Array.isArray(rawComments)) return 'comments must be a list of {author, body}';
      const repoRef = s(r.repository)?.trim();
      if (!repoRef || !/^(?:[^/\s]+\/)?[^/\s]+$/.test(repoRef)) return 'repository must be "owner/name"';
      const repo = await repoByRef(repoRef);
      if (typeof repo === 'string') return repo;
      if (!repo.hasIssues) return `issues are disabled in ${repo.full}`;
      const author = await person('author', r.author);
      if (typeof author === 'string') return author;

      const assignees: UserRow[] = [];
      if (assigneeLogins.length) {
        const ok = await db.q<UserRow>`select u.* from users u where (u.id = ${repo.ownerId} and u.type = 'User')
          or u.id in (select user_id from org_members where org_id = ${repo.ownerId})`;
        for (const login of assigneeLogins) {
          const u = ok.find((x) => x.login.toLowerCase() === login.toLowerCase());
          if (!u) {
            const known = isLogin(login) ? await userByLogin(login) : null;
            return known ? `${login} cannot be assigned in ${repo.full} (only its owner or members of its organisation)` : `unknown user ${login} (assignee)`;
          }
          if (!assignees.some((x) => x.id === u.id)) assignees.push(u);
        }
      }
      const comments: { user: UserRow; body: string }[] = [];
      for (const [k, c] of rawComments.entries()) {
        const cr = (c ?? {}) as Rec;
        const cbody = s(cr.body);
        if (!cbody?.trim()) return `comments[${k}].body is required`;
        if (cbody.length > 65_536) return `comments[${k}].body is longer than 65536 characters`;
        const who = await person('comment author', cr.author);
        if (typeof who === 'string') return `comments[${k}]: ${who}`;
        comments.push({ user: who, body: cbody });
      }

      await db.tx(async (tx) => writeIssue(tx, repo, { title, body: body.value, author, state, labels, assignees, comments }));
      return null;
    });
  }
  await seedAccountRecords(ctx, records, guarded);
  return out;
}

interface NewIssue {
  title: string;
  body: string | null;
  author: UserRow;
  state: 'open' | 'closed';
  labels: string[];
  assignees: UserRow[];
  comments: { user: UserRow; body: string }[];
}

/** One issue, as the API would leave it: next number, labels (created when missing), events, comments and their count. */
async function writeIssue(tx: SQL, repo: RepoRef, x: NewIssue): Promise<void> {
  const [n] = await tx<{ number: number }[]>`update repos set next_number = next_number + 1, updated_at = now() where id = ${repo.id} returning next_number - 1 as number`;
  const [issue] = await tx<IssueRow[]>`insert into issues (repo_id, number, title, body, user_id)
    values (${repo.id}, ${n!.number}, ${x.title}, ${x.body}, ${x.author.id}) returning *`;
  const id = issue!.id;
  await setIssueLabels(tx, repo.id, id, x.author.id, await resolveLabels(tx, repo.id, x.labels));
  await setIssueAssignees(tx, repo.id, id, x.author.id, x.assignees);
  for (const c of x.comments) {
    await tx`insert into comments (repo_id, issue_id, user_id, body) values (${repo.id}, ${id}, ${c.user.id}, ${c.body})`;
  }
  if (x.state === 'closed') {
    await tx`update issues set state = 'closed', state_reason = 'completed', closed_at = now(), closed_by_id = ${x.author.id} where id = ${id}`;
    await addEvent(tx, repo.id, id, x.author.id, 'closed', { state_reason: 'completed' });
  }
  await tx`update issues set comments = (select count(*)::int from comments where issue_id = ${id}), updated_at = now() where id = ${id}`;
}
