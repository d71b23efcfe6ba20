import * as v from 'valibot';
import type { AiEntity } from '../../../src/seed/entities.ts';

/**
 * AI-seed entities of the github template. The clone's seed hook
 * (templates/github/src/seed-records.ts) applies the same rules and checks what only it
 * can: references (logins, repositories) and uniqueness.
 *
 * The model is shown earlier records by their reference (`ref`): a user's login, a
 * repository's owner/name. A bare repository name is still accepted; the clone resolves
 * it when exactly one repository has it.
 */

/** GitHub logins: letters, digits, single inner hyphens; at most 39. */
const LOGIN = /^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$/;
/** GitHub repository names: letters, digits, `.`, `-`, `_`; not `.`/`..`; at most 100. */
const REPO = /^(?!\.{1,2}$)[A-Za-z0-9._-]{1,100}$/;
/** `owner/name`, or a bare name. */
const REPO_REF = /^(?:[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*\/)?(?!\.{1,2}$)[A-Za-z0-9._-]{1,100}$/;
/** GitHub topics: lowercase letters, digits, hyphens; start with a letter or digit; at most 50. */
const TOPIC = /^[a-z0-9][a-z0-9-]{0,49}$/;

const login = v.pipe(v.string(), v.maxLength(39, 'a login has at most 39 characters'), v.regex(LOGIN, 'a login is letters, digits and single hyphens, not starting or ending with one'));
const text = (max: number) => v.pipe(v.string(), v.minLength(1), v.maxLength(max));

export const entities: AiEntity[] = [
  {
    name: 'users',
    dependsOn: [],
    ref: (r) => (typeof r.login === 'string' ? r.login : undefined),
    brief: 'a developer at Acme; `name` is their full name and `login` is that name lowercased with spaces as hyphens (name "Maria Garcia" → login "maria-garcia"), unique',
    scale: 1,
    schema: v.strictObject({
      login,
      name: text(255),
      email: v.optional(v.pipe(v.string(), v.email())),
      bio: v.optional(v.pipe(v.string(), v.maxLength(160))),
      company: v.optional(v.pipe(v.string(), v.maxLength(255))),
      location: v.optional(v.pipe(v.string(), v.maxLength(255))),
    }),
  },
  {
    name: 'repositories',
    ref: (r) => (typeof r.name === 'string' ? `${typeof r.owner === 'string' ? `${r.owner}/` : ''}${r.name}` : undefined),
    dependsOn: ['users'],
    brief: 'a repository; `owner` is "acme" (the organisation, for most) or the login of a user given; `name` is lowercase with dashes like "billing-service", unique across owners; `language` is its main language; `topics` are lowercase-dashed',
    scale: 0.5,
    schema: v.strictObject({
      owner: login,
      name: v.pipe(v.string(), v.regex(REPO, 'a repository name is 1-100 letters, digits, dots, dashes or underscores')),
      description: v.optional(v.pipe(v.string(), v.maxLength(350))),
      private: v.optional(v.boolean()),
      topics: v.optional(v.pipe(v.array(v.pipe(v.string(), v.regex(TOPIC, 'a topic is lowercase letters, digits and hyphens, at most 50'))), v.maxLength(20))),
      language: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(50))),
      has_issues: v.optional(v.boolean()),
    }),
  },
  {
    name: 'issues',
    dependsOn: ['users', 'repositories'],
    brief: 'an issue; `repository` is a repository name given (or "owner/name"); `author`, `assignees` and comment authors are logins of users given (their name lowercased, spaces as hyphens) or "asym-admin"; `body` is 1-3 sentences; `labels` like "bug", "enhancement" or area names; 0-3 `comments`; about a third are closed',
    scale: 2,
    schema: v.strictObject({
      repository: v.pipe(v.string(), v.regex(REPO_REF, 'repository is "owner/name" (or a repository name)')),
      title: text(256),
      body: v.optional(v.pipe(v.string(), v.maxLength(65_536))),
      author: login,
      labels: v.optional(v.pipe(v.array(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(50))), v.maxLength(20))),
      assignees: v.optional(v.pipe(v.array(login), v.maxLength(10))),
      state: v.optional(v.picklist(['open', 'closed'])),
      comments: v.optional(v.array(v.strictObject({ author: login, body: text(65_536) }))),
    }),
  },
];
