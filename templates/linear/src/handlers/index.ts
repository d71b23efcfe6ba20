import type { TypeResolvers } from '../gql.ts';
import { COMMENT_MUTATIONS } from './comments.ts';
import { EXTRA_MUTATIONS, EXTRA_QUERIES } from './extra.ts';
import { ISSUE_MUTATIONS } from './issues.ts';
import { LINK_MUTATIONS, LINK_QUERIES } from './links.ts';
import { PREFERENCE_MUTATIONS, PREFERENCE_QUERIES, PREFERENCE_TYPES } from './preferences.ts';
import { PROJECT_MUTATIONS, PROJECT_QUERIES, PROJECT_TYPES } from './projects.ts';
import { QUERY } from './query.ts';
import { TEAM_MUTATIONS } from './teams.ts';
import { TYPES } from './types.ts';

/** Every resolver, by GraphQL type then field. Search results render as their entity. */
export const RESOLVERS: TypeResolvers = {
  ...TYPES,
  ...PROJECT_TYPES,
  ...PREFERENCE_TYPES,
  IssueSearchResult: { ...TYPES.Issue, metadata: () => ({}) },
  ProjectSearchResult: { ...PROJECT_TYPES.Project, metadata: () => ({}) },
  Query: { ...QUERY, ...EXTRA_QUERIES, ...LINK_QUERIES, ...PROJECT_QUERIES, ...PREFERENCE_QUERIES },
  Mutation: { ...ISSUE_MUTATIONS, ...COMMENT_MUTATIONS, ...TEAM_MUTATIONS, ...PROJECT_MUTATIONS, ...EXTRA_MUTATIONS, ...LINK_MUTATIONS, ...PREFERENCE_MUTATIONS },
};
