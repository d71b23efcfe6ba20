import * as assignees from './handlers/assignees.ts';
import * as blocks from './handlers/blocks.ts';
import * as comments from './handlers/comments.ts';
import * as emails from './handlers/emails.ts';
import * as events from './handlers/events.ts';
import * as git from './handlers/git.ts';
import * as pulls from './handlers/pulls.ts';
import * as gpgKeys from './handlers/gpg-keys.ts';
import * as interactionLimits from './handlers/interaction-limits.ts';
import * as issues from './handlers/issues.ts';
import * as keys from './handlers/keys.ts';
import * as labels from './handlers/labels.ts';
import * as links from './handlers/links.ts';
import * as milestones from './handlers/milestones.ts';
import * as reactions from './handlers/reactions.ts';
import * as repos from './handlers/repos.ts';
import * as search from './handlers/search.ts';
import * as social from './handlers/social.ts';
import * as socialAccounts from './handlers/social-accounts.ts';
import * as timeline from './handlers/timeline.ts';
import * as users from './handlers/users.ts';
import { ACCOUNT_ROUTES } from './account-routes.ts';
import { handleGraphql } from './graphql/endpoint.ts';
import { USER_EXTRA_ROUTES } from './routes-user-extras.ts';
import { APP_ROUTES } from './routes-apps.ts';
import type { Handler } from './types.ts';

/**
 * Every operation the clone implements, as GitHub's OpenAPI description names it (method,
 * path template, operationId). scripts/operations.ts reads this table to mark
 * operations.json, so the list and the server cannot drift apart.
 */
export interface Route {
  method: string;
  path: string;
  operationId: string;
  handler: Handler;
}

const R = (method: string, path: string, operationId: string, handler: Handler): Route => ({ method, path, operationId, handler });
const REPO = '/repos/{owner}/{repo}';

export const ROUTES: Route[] = [
  R('GET', '/user', 'users/get-authenticated', users.getAuthenticated),
  R('PATCH', '/user', 'users/update-authenticated', users.updateAuthenticated),
  R('GET', '/users/{username}', 'users/get-by-username', users.getByUsername),
  R('GET', '/user/orgs', 'orgs/list-for-authenticated-user', users.listMyOrgs),
  R('GET', '/users/{username}/orgs', 'orgs/list-for-user', users.listOrgsForUser),
  R('GET', '/orgs/{org}', 'orgs/get', users.getOrg),
  R('GET', '/users', 'users/list', social.list),
  R('GET', '/user/memberships/orgs', 'orgs/list-memberships-for-authenticated-user', social.listMemberships),
  R('GET', '/user/memberships/orgs/{org}', 'orgs/get-membership-for-authenticated-user', social.getMembership),

  R('GET', '/user/blocks', 'users/list-blocked-by-authenticated-user', blocks.list),
  R('GET', '/user/blocks/{username}', 'users/check-blocked', blocks.check),
  R('PUT', '/user/blocks/{username}', 'users/block', blocks.block),
  R('DELETE', '/user/blocks/{username}', 'users/unblock', blocks.unblock),

  R('GET', '/user/emails', 'users/list-emails-for-authenticated-user', emails.list),
  R('POST', '/user/emails', 'users/add-email-for-authenticated-user', emails.add),
  R('DELETE', '/user/emails', 'users/delete-email-for-authenticated-user', emails.remove),
  R('GET', '/user/public_emails', 'users/list-public-emails-for-authenticated-user', emails.listPublic),
  R('PATCH', '/user/email/visibility', 'users/set-primary-email-visibility-for-authenticated-user', emails.setVisibility),

  R('GET', '/user/keys', 'users/list-public-ssh-keys-for-authenticated-user', keys.listMine),
  R('POST', '/user/keys', 'users/create-public-ssh-key-for-authenticated-user', keys.createMine),
  R('GET', '/user/keys/{key_id}', 'users/get-public-ssh-key-for-authenticated-user', keys.getMine),
  R('DELETE', '/user/keys/{key_id}', 'users/delete-public-ssh-key-for-authenticated-user', keys.deleteMine),
  R('GET', '/users/{username}/keys', 'users/list-public-keys-for-user', keys.listForUser),
  R('GET', '/user/ssh_signing_keys', 'users/list-ssh-signing-keys-for-authenticated-user', keys.listSigning),
  R('POST', '/user/ssh_signing_keys', 'users/create-ssh-signing-key-for-authenticated-user', keys.createSigning),
  R('GET', '/user/ssh_signing_keys/{ssh_signing_key_id}', 'users/get-ssh-signing-key-for-authenticated-user', keys.getSigning),
  R('DELETE', '/user/ssh_signing_keys/{ssh_signing_key_id}', 'users/delete-ssh-signing-key-for-authenticated-user', keys.deleteSigning),
  R('GET', '/users/{username}/ssh_signing_keys', 'users/list-ssh-signing-keys-for-user', keys.listSigningForUser),

  R('GET', '/user/gpg_keys', 'users/list-gpg-keys-for-authenticated-user', gpgKeys.list),
  R('POST', '/user/gpg_keys', 'users/create-gpg-key-for-authenticated-user', gpgKeys.create),
  R('GET', '/user/gpg_keys/{gpg_key_id}', 'users/get-gpg-key-for-authenticated-user', gpgKeys.get),
  R('DELETE', '/user/gpg_keys/{gpg_key_id}', 'users/delete-gpg-key-for-authenticated-user', gpgKeys.remove),
  R('GET', '/users/{username}/gpg_keys', 'users/list-gpg-keys-for-user', gpgKeys.listForUser),

  R('GET', '/user/social_accounts', 'users/list-social-accounts-for-authenticated-user', socialAccounts.list),
  R('POST', '/user/social_accounts', 'users/add-social-account-for-authenticated-user', socialAccounts.add),
  R('DELETE', '/user/social_accounts', 'users/delete-social-account-for-authenticated-user', socialAccounts.remove),
  R('GET', '/users/{username}/social_accounts', 'users/list-social-accounts-for-user', socialAccounts.listForUser),

  R('GET', '/user/interaction-limits', 'interactions/get-restrictions-for-authenticated-user', interactionLimits.get),
  R('PUT', '/user/interaction-limits', 'interactions/set-restrictions-for-authenticated-user', interactionLimits.set),
  R('DELETE', '/user/interaction-limits', 'interactions/remove-restrictions-for-authenticated-user', interactionLimits.remove),

  R('GET', '/user/starred', 'activity/list-repos-starred-by-authenticated-user', social.listStarred),
  R('GET', '/user/starred/{owner}/{repo}', 'activity/check-repo-is-starred-by-authenticated-user', social.checkStarred),
  R('PUT', '/user/starred/{owner}/{repo}', 'activity/star-repo-for-authenticated-user', social.star),
  R('DELETE', '/user/starred/{owner}/{repo}', 'activity/unstar-repo-for-authenticated-user', social.unstar),
  R('GET', '/users/{username}/starred', 'activity/list-repos-starred-by-user', social.listStarredByUser),

  R('GET', '/user/followers', 'users/list-followers-for-authenticated-user', social.listMyFollowers),
  R('GET', '/user/following', 'users/list-followed-by-authenticated-user', social.listMyFollowing),
  R('GET', '/user/following/{username}', 'users/check-person-is-followed-by-authenticated', social.checkFollowing),
  R('PUT', '/user/following/{username}', 'users/follow', social.follow),
  R('DELETE', '/user/following/{username}', 'users/unfollow', social.unfollow),
  R('GET', '/users/{username}/followers', 'users/list-followers-for-user', social.listFollowersForUser),
  R('GET', '/users/{username}/following', 'users/list-following-for-user', social.listFollowingForUser),
  R('GET', '/users/{username}/following/{target_user}', 'users/check-following-for-user', social.checkFollowingForUser),

  R('POST', '/user/repos', 'repos/create-for-authenticated-user', repos.createForAuthenticatedUser),
  R('POST', '/orgs/{org}/repos', 'repos/create-in-org', repos.createInOrg),
  R('GET', REPO, 'repos/get', repos.get),
  R('PATCH', REPO, 'repos/update', repos.update),
  R('DELETE', REPO, 'repos/delete', repos.remove),
  R('GET', '/users/{username}/repos', 'repos/list-for-user', repos.listForUser),
  R('GET', '/orgs/{org}/repos', 'repos/list-for-org', repos.listForOrg),
  R('GET', '/user/repos', 'repos/list-for-authenticated-user', repos.listForAuthenticatedUser),
  R('GET', '/repositories', 'repos/list-public', repos.listPublic),
  R('GET', `${REPO}/topics`, 'repos/get-all-topics', repos.getTopics),
  R('PUT', `${REPO}/topics`, 'repos/replace-all-topics', repos.replaceTopics),
  R('GET', `${REPO}/languages`, 'repos/list-languages', repos.listLanguages),
  R('GET', `${REPO}/contributors`, 'repos/list-contributors', repos.listContributors),
  R('GET', `${REPO}/branches`, 'repos/list-branches', repos.listBranches),
  R('GET', `${REPO}/branches/{branch}`, 'repos/get-branch', repos.getBranch),

  R('GET', `${REPO}/contents/{path}`, 'repos/get-content', git.getContent),
  R('PUT', `${REPO}/contents/{path}`, 'repos/create-or-update-file-contents', git.putContent),
  R('DELETE', `${REPO}/contents/{path}`, 'repos/delete-file', git.deleteContent),
  R('POST', `${REPO}/git/refs`, 'git/create-ref', git.createRef),
  R('GET', `${REPO}/git/ref/{ref}`, 'git/get-ref', git.getRef),
  R('DELETE', `${REPO}/git/refs/{ref}`, 'git/delete-ref', git.deleteRef),

  R('GET', `${REPO}/pulls`, 'pulls/list', pulls.list),
  R('POST', `${REPO}/pulls`, 'pulls/create', pulls.create),
  R('GET', `${REPO}/pulls/comments`, 'pulls/list-review-comments-for-repo', pulls.listReviewCommentsForRepo),
  R('GET', `${REPO}/pulls/comments/{comment_id}`, 'pulls/get-review-comment', pulls.getReviewComment),
  R('PATCH', `${REPO}/pulls/comments/{comment_id}`, 'pulls/update-review-comment', pulls.updateReviewComment),
  R('DELETE', `${REPO}/pulls/comments/{comment_id}`, 'pulls/delete-review-comment', pulls.deleteReviewComment),
  R('GET', `${REPO}/pulls/{pull_number}/comments`, 'pulls/list-review-comments', pulls.listReviewComments),
  R('POST', `${REPO}/pulls/{pull_number}/comments`, 'pulls/create-review-comment', pulls.createReviewComment),
  R('POST', `${REPO}/pulls/{pull_number}/comments/{comment_id}/replies`, 'pulls/create-reply-for-review-comment', pulls.createReplyForReviewComment),
  R('GET', `${REPO}/pulls/{pull_number}/reviews/{review_id}/comments`, 'pulls/list-comments-for-review', pulls.listCommentsForReview),
  R('GET', `${REPO}/pulls/{pull_number}`, 'pulls/get', pulls.get),
  R('PATCH', `${REPO}/pulls/{pull_number}`, 'pulls/update', pulls.update),
  R('GET', `${REPO}/pulls/{pull_number}/commits`, 'pulls/list-commits', pulls.listCommits),
  R('GET', `${REPO}/pulls/{pull_number}/files`, 'pulls/list-files', pulls.listFiles),
  R('GET', `${REPO}/pulls/{pull_number}/merge`, 'pulls/check-if-merged', pulls.checkMerged),
  R('PUT', `${REPO}/pulls/{pull_number}/merge`, 'pulls/merge', pulls.merge),
  R('PUT', `${REPO}/pulls/{pull_number}/update-branch`, 'pulls/update-branch', pulls.updateBranch),
  R('GET', `${REPO}/pulls/{pull_number}/requested_reviewers`, 'pulls/list-requested-reviewers', pulls.listRequestedReviewers),
  R('POST', `${REPO}/pulls/{pull_number}/requested_reviewers`, 'pulls/request-reviewers', pulls.requestReviewers),
  R('DELETE', `${REPO}/pulls/{pull_number}/requested_reviewers`, 'pulls/remove-requested-reviewers', pulls.removeRequestedReviewers),
  R('GET', `${REPO}/pulls/{pull_number}/reviews`, 'pulls/list-reviews', pulls.listReviews),
  R('POST', `${REPO}/pulls/{pull_number}/reviews`, 'pulls/create-review', pulls.createReview),
  R('GET', `${REPO}/pulls/{pull_number}/reviews/{review_id}`, 'pulls/get-review', pulls.getReview),
  R('PUT', `${REPO}/pulls/{pull_number}/reviews/{review_id}`, 'pulls/update-review', pulls.updateReview),
  R('DELETE', `${REPO}/pulls/{pull_number}/reviews/{review_id}`, 'pulls/delete-pending-review', pulls.deletePendingReview),
  R('POST', `${REPO}/pulls/{pull_number}/reviews/{review_id}/events`, 'pulls/submit-review', pulls.submitReview),
  R('PUT', `${REPO}/pulls/{pull_number}/reviews/{review_id}/dismissals`, 'pulls/dismiss-review', pulls.dismissReview),

  R('GET', '/issues', 'issues/list', issues.list),
  R('GET', '/user/issues', 'issues/list-for-authenticated-user', issues.listForAuthenticatedUser),
  R('GET', '/orgs/{org}/issues', 'issues/list-for-org', issues.listForOrg),
  R('GET', `${REPO}/issues`, 'issues/list-for-repo', issues.listForRepo),
  R('POST', `${REPO}/issues`, 'issues/create', issues.create),
  R('GET', `${REPO}/issues/comments`, 'issues/list-comments-for-repo', comments.listForRepo),
  R('GET', `${REPO}/issues/comments/{comment_id}`, 'issues/get-comment', comments.get),
  R('PATCH', `${REPO}/issues/comments/{comment_id}`, 'issues/update-comment', comments.update),
  R('DELETE', `${REPO}/issues/comments/{comment_id}`, 'issues/delete-comment', comments.remove),
  R('PUT', `${REPO}/issues/comments/{comment_id}/pin`, 'issues/pin-comment', comments.pin),
  R('DELETE', `${REPO}/issues/comments/{comment_id}/pin`, 'issues/unpin-comment', comments.unpin),
  R('GET', `${REPO}/issues/comments/{comment_id}/reactions`, 'reactions/list-for-issue-comment', reactions.listForComment),
  R('POST', `${REPO}/issues/comments/{comment_id}/reactions`, 'reactions/create-for-issue-comment', reactions.createForComment),
  R('DELETE', `${REPO}/issues/comments/{comment_id}/reactions/{reaction_id}`, 'reactions/delete-for-issue-comment', reactions.deleteForComment),
  R('GET', `${REPO}/issues/events`, 'issues/list-events-for-repo', events.listForRepo),
  R('GET', `${REPO}/issues/events/{event_id}`, 'issues/get-event', events.get),
  R('GET', `${REPO}/issues/{issue_number}`, 'issues/get', issues.get),
  R('PATCH', `${REPO}/issues/{issue_number}`, 'issues/update', issues.update),
  R('PUT', `${REPO}/issues/{issue_number}/lock`, 'issues/lock', issues.lock),
  R('DELETE', `${REPO}/issues/{issue_number}/lock`, 'issues/unlock', issues.unlock),
  R('GET', `${REPO}/issues/{issue_number}/comments`, 'issues/list-comments', comments.listForIssue),
  R('POST', `${REPO}/issues/{issue_number}/comments`, 'issues/create-comment', comments.create),
  R('GET', `${REPO}/issues/{issue_number}/events`, 'issues/list-events', events.listForIssue),
  R('GET', `${REPO}/issues/{issue_number}/timeline`, 'issues/list-events-for-timeline', timeline.list),
  R('GET', `${REPO}/issues/{issue_number}/sub_issues`, 'issues/list-sub-issues', links.listSubIssues),
  R('POST', `${REPO}/issues/{issue_number}/sub_issues`, 'issues/add-sub-issue', links.addSubIssue),
  R('DELETE', `${REPO}/issues/{issue_number}/sub_issue`, 'issues/remove-sub-issue', links.removeSubIssue),
  R('PATCH', `${REPO}/issues/{issue_number}/sub_issues/priority`, 'issues/reprioritize-sub-issue', links.reprioritizeSubIssue),
  R('GET', `${REPO}/issues/{issue_number}/parent`, 'issues/get-parent', links.getParent),
  R('GET', `${REPO}/issues/{issue_number}/dependencies/blocked_by`, 'issues/list-dependencies-blocked-by', links.listBlockedBy),
  R('POST', `${REPO}/issues/{issue_number}/dependencies/blocked_by`, 'issues/add-blocked-by-dependency', links.addBlockedBy),
  R('DELETE', `${REPO}/issues/{issue_number}/dependencies/blocked_by/{issue_id}`, 'issues/remove-dependency-blocked-by', links.removeBlockedBy),
  R('GET', `${REPO}/issues/{issue_number}/dependencies/blocking`, 'issues/list-dependencies-blocking', links.listBlocking),
  R('GET', `${REPO}/issues/{issue_number}/labels`, 'issues/list-labels-on-issue', labels.listOnIssue),
  R('POST', `${REPO}/issues/{issue_number}/labels`, 'issues/add-labels', labels.addToIssue),
  R('PUT', `${REPO}/issues/{issue_number}/labels`, 'issues/set-labels', labels.setOnIssue),
  R('DELETE', `${REPO}/issues/{issue_number}/labels`, 'issues/remove-all-labels', labels.removeAllFromIssue),
  R('DELETE', `${REPO}/issues/{issue_number}/labels/{name}`, 'issues/remove-label', labels.removeFromIssue),
  R('GET', `${REPO}/issues/{issue_number}/assignees/{assignee}`, 'issues/check-user-can-be-assigned-to-issue', assignees.checkForIssue),
  R('POST', `${REPO}/issues/{issue_number}/assignees`, 'issues/add-assignees', assignees.add),
  R('DELETE', `${REPO}/issues/{issue_number}/assignees`, 'issues/remove-assignees', assignees.remove),
  R('GET', `${REPO}/issues/{issue_number}/reactions`, 'reactions/list-for-issue', reactions.listForIssue),
  R('POST', `${REPO}/issues/{issue_number}/reactions`, 'reactions/create-for-issue', reactions.createForIssue),
  R('DELETE', `${REPO}/issues/{issue_number}/reactions/{reaction_id}`, 'reactions/delete-for-issue', reactions.deleteForIssue),

  R('GET', `${REPO}/labels`, 'issues/list-labels-for-repo', labels.listForRepo),
  R('POST', `${REPO}/labels`, 'issues/create-label', labels.create),
  R('GET', `${REPO}/labels/{name}`, 'issues/get-label', labels.get),
  R('PATCH', `${REPO}/labels/{name}`, 'issues/update-label', labels.update),
  R('DELETE', `${REPO}/labels/{name}`, 'issues/delete-label', labels.remove),

  R('GET', `${REPO}/assignees`, 'issues/list-assignees', assignees.list),
  R('GET', `${REPO}/assignees/{assignee}`, 'issues/check-user-can-be-assigned', assignees.check),

  R('GET', `${REPO}/milestones`, 'issues/list-milestones', milestones.list),
  R('POST', `${REPO}/milestones`, 'issues/create-milestone', milestones.create),
  R('GET', `${REPO}/milestones/{milestone_number}`, 'issues/get-milestone', milestones.get),
  R('PATCH', `${REPO}/milestones/{milestone_number}`, 'issues/update-milestone', milestones.update),
  R('DELETE', `${REPO}/milestones/{milestone_number}`, 'issues/delete-milestone', milestones.remove),
  R('GET', `${REPO}/milestones/{milestone_number}/labels`, 'issues/list-labels-for-milestone', labels.listForMilestone),

  R('GET', '/search/issues', 'search/issues-and-pull-requests', search.searchIssues),
  R('GET', '/search/repositories', 'search/repos', search.searchRepos),
  R('GET', '/search/users', 'search/users', search.searchUsers),

  ...ACCOUNT_ROUTES,
  ...USER_EXTRA_ROUTES,
  ...APP_ROUTES,

  // Last: its template also matches /user/repos, /user/issues, /user/starred, ...
  R('GET', '/user/{account_id}', 'users/get-by-id', social.getById),
];

/**
 * GraphQL at /graphql (api.github.com) and /api/graphql (Enterprise Server), any method: a
 * subset, see graphql/schema.ts. Served, but not REST operations, so not in ROUTES.
 */
export const GRAPHQL_ROUTES: Route[] = [R('*', '/graphql', 'graphql', handleGraphql), R('*', '/api/graphql', 'graphql', handleGraphql)];
