import { paginate, type ConnArgs } from '../connection.ts';
import { invalidInput, notFound } from '../errors.ts';
import type { Resolver } from '../gql.ts';
import { nextSyncId } from '../write.ts';
import { linkAttachment, type AttachmentLink } from './comments.ts';
import { findIssue, need } from './query.ts';

/**
 * The attachmentLink* integrations: each links an external object (a GitHub pull request, a
 * Slack message, a Jira issue, ...) to an issue as an attachment whose `sourceType` names the
 * integration and whose `metadata` carries the object's ids. Linear would also fetch the
 * object's title and status from the integration; the clone has no integration to ask, so
 * the title is the one given or one derived from the ids, and a link that needs the
 * integration to find its URL (Jira, Zendesk without `url`) is refused. Like every
 * attachment, a URL the issue already has is updated, not added again.
 */
type Args = Record<string, any> & { issueId: string; id?: string; title?: string };

const payload = async (rc: Parameters<Resolver>[2], a: Args, link: Omit<AttachmentLink, 'id' | 'title'> & { title: string }) => ({
  success: true,
  lastSyncId: await nextSyncId(rc),
  attachment: await linkAttachment(rc, a.issueId, { ...link, id: a.id, title: a.title ?? link.title }),
});

function urlMatch(url: unknown, re: RegExp, what: string): RegExpExecArray {
  const m = typeof url === 'string' ? re.exec(url) : null;
  if (!m) throw invalidInput(`url must be ${what}`);
  return m;
}

const GITHUB = (kind: 'issues' | 'pull') => new RegExp(`^https://github\\.com/([\\w.-]+)/([\\w.-]+)/${kind}/(\\d+)(?:[/?#].*)?$`);

function github(kind: 'issues' | 'pull'): Resolver {
  return (_s, a: Args, rc) => {
    const [, owner, repo, n] = urlMatch(a.url, GITHUB(kind), kind === 'pull' ? 'a GitHub pull request URL (https://github.com/OWNER/REPO/pull/N)' : 'a GitHub issue URL (https://github.com/OWNER/REPO/issues/N)');
    const metadata = { owner, repo, number: Number(n), ...(kind === 'pull' ? { linkKind: a.linkKind ?? 'links' } : {}) };
    return payload(rc, a, { url: a.url, title: `${owner}/${repo}#${n}`, subtitle: kind === 'pull' ? 'Pull request' : 'GitHub issue', metadata, sourceType: 'github' });
  };
}

/** Where the integration alone knows the object's URL, the clone needs the documented fallback `url`. */
function fallbackUrl(a: Args, what: string): string {
  if (typeof a.url !== 'string' || !a.url) throw invalidInput(`The ${what} could not be found: this workspace has no ${what.split(' ')[0]} integration, so a url is required`);
  return a.url;
}

export const LINK_MUTATIONS: Record<string, Resolver> = {
  attachmentLinkGitHubIssue: github('issues'),
  attachmentLinkGitHubPR: github('pull'),
  attachmentLinkGitLabMR: (_s, a: Args, rc) => {
    if (!Number.isInteger(a.number) || a.number < 1) throw invalidInput('number must be a positive merge request number');
    if (typeof a.projectPathWithNamespace !== 'string' || !a.projectPathWithNamespace.includes('/')) throw invalidInput('projectPathWithNamespace must be a project path such as group/project');
    urlMatch(a.url, /^https?:\/\/[^/]+\/.+\/-\/merge_requests\/\d+/, 'a GitLab merge request URL');
    const metadata = { projectPathWithNamespace: a.projectPathWithNamespace, number: a.number };
    return payload(rc, a, { url: a.url, title: `${a.projectPathWithNamespace}!${a.number}`, subtitle: 'Merge request', metadata, sourceType: 'gitlab' });
  },
  attachmentLinkJiraIssue: (_s, a: Args, rc) => {
    if (typeof a.jiraIssueId !== 'string' || !a.jiraIssueId.trim()) throw invalidInput('jiraIssueId must not be empty');
    return payload(rc, a, { url: fallbackUrl(a, 'Jira issue'), title: a.jiraIssueId, metadata: { issueKey: a.jiraIssueId }, sourceType: 'jira' });
  },
  attachmentLinkZendesk: (_s, a: Args, rc) => {
    if (typeof a.ticketId !== 'string' || !a.ticketId.trim()) throw invalidInput('ticketId must not be empty');
    return payload(rc, a, { url: fallbackUrl(a, 'Zendesk ticket'), title: `Ticket #${a.ticketId}`, metadata: { ticketId: a.ticketId }, sourceType: 'zendesk' });
  },
  attachmentLinkSlack: (_s, a: Args, rc) => {
    const [, workspace, channelId, ts] = urlMatch(a.url, /^https:\/\/([\w-]+)\.slack\.com\/archives\/([A-Z0-9]+)\/p(\d{16})(?:[?#].*)?$/, 'a Slack message URL (https://WORKSPACE.slack.com/archives/CHANNEL/pTIMESTAMP)');
    const messageTs = `${ts!.slice(0, 10)}.${ts!.slice(10)}`;
    const metadata = { workspace, channelId, messageTs, syncToCommentThread: a.syncToCommentThread ?? false };
    return payload(rc, a, { url: a.url, title: `Slack message in #${channelId}`, metadata, sourceType: 'slack' });
  },
  attachmentLinkIntercom: (_s, a: Args, rc) => {
    if (typeof a.conversationId !== 'string' || !a.conversationId.trim()) throw invalidInput('conversationId must not be empty');
    const url = `https://app.intercom.com/a/inbox/_/inbox/conversation/${encodeURIComponent(a.conversationId)}${a.partId ? `#part_id=${encodeURIComponent(a.partId)}` : ''}`;
    return payload(rc, a, { url, title: `Intercom conversation ${a.conversationId}`, metadata: { conversationId: a.conversationId, ...(a.partId ? { partId: a.partId } : {}) }, sourceType: 'intercom' });
  },
  attachmentLinkFront: (_s, a: Args, rc) => {
    if (typeof a.conversationId !== 'string' || !a.conversationId.trim()) throw invalidInput('conversationId must not be empty');
    const url = `https://app.frontapp.com/open/${encodeURIComponent(a.conversationId)}`;
    return payload(rc, a, { url, title: `Front conversation ${a.conversationId}`, metadata: { conversationId: a.conversationId }, sourceType: 'front' });
  },
  attachmentLinkDiscord: (_s, a: Args, rc) => {
    for (const k of ['channelId', 'messageId'] as const) if (typeof a[k] !== 'string' || !a[k].trim()) throw invalidInput(`${k} must not be empty`);
    urlMatch(a.url, /^https:\/\/(?:\w+\.)?discord(?:app)?\.com\/channels\/\d+\/\d+\/\d+/, 'a Discord message URL (https://discord.com/channels/GUILD/CHANNEL/MESSAGE)');
    return payload(rc, a, { url: a.url, title: 'Discord message', metadata: { channelId: a.channelId, messageId: a.messageId }, sourceType: 'discord' });
  },
  attachmentLinkSalesforce: (_s, a: Args, rc) => {
    urlMatch(a.url, /^https:\/\/[\w.-]+\.(?:salesforce|force)\.com\//, 'a Salesforce case URL');
    const caseId = /\/Case\/([A-Za-z0-9]{15,18})/.exec(a.url)?.[1];
    return payload(rc, a, { url: a.url, title: caseId ? `Case ${caseId}` : 'Salesforce case', metadata: caseId ? { caseId } : {}, sourceType: 'salesforce' });
  },
};

export const LINK_QUERIES: Record<string, Resolver> = {
  // By the attachment's id, or (deprecated) its URL.
  attachmentIssue: async (_s, { id }: { id: string }, rc) => {
    const byUrl = (await rc.ctx.db.q<{ issue_id: string }>`select issue_id from attachments where id::text = ${id} or url = ${id} order by created_at limit 1`)[0];
    if (!byUrl) throw notFound('attachment');
    return need(rc, 'issue', byUrl.issue_id, 'issue');
  },
  // Issues with an attachment linking the Figma file (figma.com/file|design|proto|board/KEY/...).
  issueFigmaFileKeySearch: (_s, a: ConnArgs & { fileKey: string }, rc) => {
    if (!/^[A-Za-z0-9]+$/.test(a.fileKey ?? '')) throw invalidInput('fileKey must be a Figma file key');
    return paginate(rc, 'issue', a, (x, p) => `exists (select 1 from attachments f where f.issue_id = ${x}.id and f.archived_at is null
      and f.url ~ ('^https://([a-z]+\\.)?figma\\.com/(file|design|proto|board)/' || ${p.add(a.fileKey)} || '([/?#]|$)'))`);
  },
  // The issue whose identifier a branch name carries (`grace/eng-12-fix-login`, `ENG-12`).
  issueVcsBranchSearch: async (_s, { branchName }: { branchName: string }, rc) => {
    for (const m of branchName.matchAll(/(?:^|[^A-Za-z0-9])([A-Za-z][A-Za-z0-9]{0,6})-(\d+)(?![0-9])/g)) {
      const issue = await findIssue(rc, `${m[1]}-${m[2]}`);
      if (issue) return issue;
    }
    return null;
  },
};
