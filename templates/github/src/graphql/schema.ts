import { buildSchema } from 'graphql';

/**
 * A hand-written subset of GitHub's public GraphQL schema (type and field names from
 * docs.github.com/graphql): what gh 2.23's `issue create|list|view|close|reopen` and
 * `repo`-info lookups send, plus `viewer` and `node`. A field outside it fails validation
 * as an unknown field does on GitHub ("Field 'x' doesn't exist on type 'Y'").
 */
const ISSUE_FIELDS = `  id: ID! databaseId: Int number: Int! title: String! body: String! bodyText: String! url: URI! resourcePath: URI!
  state: IssueState! stateReason: IssueStateReason closed: Boolean! closedAt: DateTime locked: Boolean!
  createdAt: DateTime! updatedAt: DateTime! author: Actor authorAssociation: CommentAuthorAssociation!
  repository: Repository! milestone: Milestone
  assignees(first: Int, after: String): UserConnection!
  labels(first: Int, after: String): LabelConnection
  comments(first: Int, after: String, last: Int, before: String): IssueCommentConnection!
  reactionGroups: [ReactionGroup!]
  projectCards(first: Int, after: String): ProjectCardConnection!
  projectItems(first: Int, after: String): ProjectV2ItemConnection!
  viewerCanUpdate: Boolean!
`;

export const SDL = /* GraphQL */ `
scalar DateTime
scalar URI
scalar HTML

interface Node { id: ID! }
interface Actor { login: String! avatarUrl(size: Int): URI! url: URI! resourcePath: URI! }
interface RepositoryOwner { id: ID! login: String! avatarUrl(size: Int): URI! url: URI! resourcePath: URI! }

type User implements Node & Actor & RepositoryOwner {
  id: ID! databaseId: Int login: String! name: String email: String! bio: String company: String location: String
  avatarUrl(size: Int): URI! url: URI! resourcePath: URI! createdAt: DateTime! isSiteAdmin: Boolean!
}
type Organization implements Node & Actor & RepositoryOwner {
  id: ID! databaseId: Int login: String! name: String description: String email: String
  avatarUrl(size: Int): URI! url: URI! resourcePath: URI! createdAt: DateTime!
}
type Bot implements Node & Actor { id: ID! databaseId: Int login: String! avatarUrl(size: Int): URI! url: URI! resourcePath: URI! }

enum RepositoryPermission { ADMIN MAINTAIN WRITE TRIAGE READ }
enum RepositoryVisibility { PRIVATE PUBLIC INTERNAL }
enum IssueState { OPEN CLOSED }
enum IssueStateReason { COMPLETED NOT_PLANNED REOPENED }
enum IssueClosedStateReason { COMPLETED NOT_PLANNED }
enum IssueOrderField { CREATED_AT UPDATED_AT COMMENTS }
enum OrderDirection { ASC DESC }
enum CommentAuthorAssociation { MEMBER OWNER MANNEQUIN COLLABORATOR CONTRIBUTOR FIRST_TIME_CONTRIBUTOR FIRST_TIMER NONE }
enum ReactionContent { THUMBS_UP THUMBS_DOWN LAUGH HOORAY CONFUSED HEART ROCKET EYES }
enum MilestoneState { OPEN CLOSED }

type PageInfo { hasNextPage: Boolean! hasPreviousPage: Boolean! startCursor: String endCursor: String }
type Ref { id: ID! name: String! prefix: String! }
type Language { id: ID! name: String! color: String }

type Repository implements Node {
  id: ID! databaseId: Int name: String! nameWithOwner: String! owner: RepositoryOwner! description: String
  url: URI! resourcePath: URI! homepageUrl: URI sshUrl: String!
  hasIssuesEnabled: Boolean! hasWikiEnabled: Boolean! hasProjectsEnabled: Boolean! hasDiscussionsEnabled: Boolean!
  isPrivate: Boolean! isArchived: Boolean! isFork: Boolean! isTemplate: Boolean! isEmpty: Boolean! isMirror: Boolean! isInOrganization: Boolean!
  visibility: RepositoryVisibility! viewerPermission: RepositoryPermission viewerCanAdminister: Boolean!
  defaultBranchRef: Ref parent: Repository stargazerCount: Int! forkCount: Int!
  createdAt: DateTime! updatedAt: DateTime! pushedAt: DateTime
  mergeCommitAllowed: Boolean! rebaseMergeAllowed: Boolean! squashMergeAllowed: Boolean! deleteBranchOnMerge: Boolean!
  issue(number: Int!): Issue
  issueOrPullRequest(number: Int!): IssueOrPullRequest
  issues(first: Int, after: String, last: Int, before: String, states: [IssueState!], labels: [String!], orderBy: IssueOrder, filterBy: IssueFilters): IssueConnection!
  labels(first: Int, after: String, query: String): LabelConnection
  assignableUsers(first: Int, after: String, query: String): UserConnection!
  milestones(first: Int, after: String, states: [MilestoneState!]): MilestoneConnection
}

input IssueOrder { field: IssueOrderField! direction: OrderDirection! }
input IssueFilters {
  assignee: String createdBy: String labels: [String!] mentioned: String milestone: String milestoneNumber: String
  since: DateTime states: [IssueState!] viewerSubscribed: Boolean = false
}

type Issue implements Node {
${ISSUE_FIELDS}}
# Pull requests are issues in the clone's store; gh's issue view asks issueOrPullRequest.
type PullRequest implements Node {
${ISSUE_FIELDS}}
union IssueOrPullRequest = Issue | PullRequest
type IssueConnection { nodes: [Issue] edges: [IssueEdge] pageInfo: PageInfo! totalCount: Int! }
type IssueEdge { cursor: String! node: Issue }

type Label implements Node { id: ID! name: String! color: String! description: String url: URI! isDefault: Boolean! }
type LabelConnection { nodes: [Label] edges: [LabelEdge] pageInfo: PageInfo! totalCount: Int! }
type LabelEdge { cursor: String! node: Label }
type UserConnection { nodes: [User] edges: [UserEdge] pageInfo: PageInfo! totalCount: Int! }
type UserEdge { cursor: String! node: User }
type Milestone implements Node { id: ID! number: Int! title: String! description: String state: MilestoneState! dueOn: DateTime url: URI! }
type MilestoneConnection { nodes: [Milestone] pageInfo: PageInfo! totalCount: Int! }

type IssueComment implements Node {
  id: ID! databaseId: Int body: String! url: URI! author: Actor authorAssociation: CommentAuthorAssociation!
  createdAt: DateTime! updatedAt: DateTime! includesCreatedEdit: Boolean! isMinimized: Boolean! minimizedReason: String
  reactionGroups: [ReactionGroup!] viewerDidAuthor: Boolean!
}
type IssueCommentConnection { nodes: [IssueComment] edges: [IssueCommentEdge] pageInfo: PageInfo! totalCount: Int! }
type IssueCommentEdge { cursor: String! node: IssueComment }

type ReactionGroup { content: ReactionContent! users(first: Int): ReactingUserConnection! viewerHasReacted: Boolean! }
type ReactingUserConnection { totalCount: Int! }

type Project implements Node { id: ID! name: String! }
type ProjectColumn implements Node { id: ID! name: String! }
type ProjectCard implements Node { id: ID! project: Project! column: ProjectColumn }
type ProjectCardConnection { nodes: [ProjectCard] pageInfo: PageInfo! totalCount: Int! }
type ProjectV2 implements Node { id: ID! title: String! }
type ProjectV2Item implements Node { id: ID! project: ProjectV2! }
type ProjectV2ItemConnection { nodes: [ProjectV2Item] pageInfo: PageInfo! totalCount: Int! }

type Query {
  repository(owner: String!, name: String!, followRenames: Boolean = true): Repository
  viewer: User!
  node(id: ID!): Node
  user(login: String!): User
}

input CreateIssueInput {
  repositoryId: ID! title: String! body: String assigneeIds: [ID!] labelIds: [ID!] milestoneId: ID
  projectIds: [ID!] issueTemplate: String clientMutationId: String
}
type CreateIssuePayload { clientMutationId: String issue: Issue }
input CloseIssueInput { issueId: ID! stateReason: IssueClosedStateReason clientMutationId: String }
type CloseIssuePayload { clientMutationId: String issue: Issue }
input ReopenIssueInput { issueId: ID! clientMutationId: String }
type ReopenIssuePayload { clientMutationId: String issue: Issue }

type Mutation {
  createIssue(input: CreateIssueInput!): CreateIssuePayload
  closeIssue(input: CloseIssueInput!): CloseIssuePayload
  reopenIssue(input: ReopenIssueInput!): ReopenIssuePayload
}
`;

export const githubSchema = buildSchema(SDL);
