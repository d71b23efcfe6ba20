import type { KitContext } from '../../_kit/types.ts';
import type { Params } from '../../_kit/http.ts';

/** Database rows as Bun.SQL returns them (int ids, Date timestamps). */
export interface UserRow {
  id: number;
  login: string;
  type: 'User' | 'Organization' | 'Bot';
  name: string | null;
  email: string | null;
  bio: string | null;
  company: string | null;
  location: string | null;
  blog: string;
  twitter_username: string | null;
  hireable: boolean | null;
  site_admin: boolean;
  description: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface RepoRow {
  id: number;
  owner_id: number;
  name: string;
  description: string | null;
  homepage: string | null;
  private: boolean;
  has_issues: boolean;
  has_projects: boolean;
  has_wiki: boolean;
  has_discussions: boolean;
  has_downloads: boolean;
  is_template: boolean;
  archived: boolean;
  default_branch: string;
  topics: string[];
  languages: Record<string, number>;
  license: Record<string, unknown> | null;
  settings: Record<string, unknown>;
  size: number;
  stargazers_count: number;
  forks_count: number;
  next_number: number;
  created_at: Date;
  updated_at: Date;
  pushed_at: Date | null;
}

/** A repository with its owner loaded (every handler under /repos/{owner}/{repo} gets one). */
export interface Repo extends RepoRow {
  owner: UserRow;
}

export interface IssueRow {
  id: number;
  repo_id: number;
  number: number;
  title: string;
  body: string | null;
  user_id: number;
  state: 'open' | 'closed';
  state_reason: string | null;
  locked: boolean;
  active_lock_reason: string | null;
  milestone_id: number | null;
  comments: number;
  closed_at: Date | null;
  closed_by_id: number | null;
  is_pull_request: boolean;
  created_at: Date;
  updated_at: Date;
}

export interface LabelRow {
  id: number;
  repo_id: number;
  name: string;
  color: string;
  description: string | null;
  is_default: boolean;
}

export interface MilestoneRow {
  id: number;
  repo_id: number;
  number: number;
  title: string;
  description: string | null;
  state: 'open' | 'closed';
  due_on: Date | null;
  creator_id: number | null;
  created_at: Date;
  updated_at: Date;
  closed_at: Date | null;
  open_issues: number;
  closed_issues: number;
}

export interface CommentRow {
  id: number;
  repo_id: number;
  issue_id: number;
  user_id: number;
  body: string;
  created_at: Date;
  updated_at: Date;
  issue_number: number;
  pinned_at?: Date | null;
  pinned_by_id?: number | null;
}

export interface EventRow {
  id: number;
  repo_id: number;
  issue_id: number;
  actor_id: number | null;
  event: string;
  payload: Record<string, unknown>;
  created_at: Date;
}

export interface ReactionRow {
  id: number;
  user_id: number;
  content: string;
  created_at: Date;
}

/** One API request as handlers see it. */
export interface Gh {
  req: Request;
  url: URL;
  ctx: KitContext;
  /** ASYM_PUBLIC_URL: the API base and the html base of every URL we return. */
  base: string;
  viewer: UserRow | null;
  /** A classic token's scopes, expanded (repo grants public_repo, …); null: no scope checks. */
  scopes: Set<string> | null;
  /** Which kind of token called, and for an app's JWT the app (auth.ts). */
  token?: { kind: 'none' | 'classic' | 'fine-grained' | 'app-user' | 'app'; appId?: number };
  params: Record<string, string>;
  query: Params;
  body: Params;
}

/** What a handler returns: a JSON body (or none, for 204) with a status and headers. */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (g: Gh) => Promise<Reply>;
