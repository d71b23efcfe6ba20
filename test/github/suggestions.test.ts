/**
 * Issue suggestions through @octokit/rest, made pending through the admin surface (GitHub's
 * agents make them): list filters, approve applies the change and dismisses competitors,
 * dismiss applies nothing, triage access, pull requests refused.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import type { Octokit } from '@octokit/rest';
import { describeDocker } from '../support/docker.ts';
import { admin, newUser, octokit, schemaErrors, spinGithub, unique, type Clone, type Recorded, statusOf as status } from './helpers.ts';

describeDocker('github issue suggestions', () => {
  let clone: Clone;
  let cleanup: () => Promise<void>;
  const rec: Recorded[] = [];
  let bot: Octokit;
  let repo: { owner: string; repo: string };
  let issue: { owner: string; repo: string; issue_number: number };
  const suggest = async (body: Record<string, unknown>) => (await admin(clone, 'issue-suggestions', { ...issue, ...body })).suggestion as { id: number };
  const listed = async (q: Record<string, string> = {}) => (await bot.request('GET /repos/{owner}/{repo}/issues/{issue_number}/suggestions', { ...issue, ...q })).data as Array<{ id: number; state: string; action: string }>;

  beforeAll(async () => {
    const s = await spinGithub('gh-suggestions');
    clone = s.clone;
    cleanup = () => s.h.cleanup();
    bot = octokit(clone, clone.tokens.botToken, rec);
    repo = { owner: 'asym-bot', repo: unique('sugg') };
    await bot.rest.repos.createForAuthenticatedUser({ name: repo.repo });
    issue = { ...repo, issue_number: (await bot.rest.issues.create({ ...repo, title: 'suggest me' })).data.number };
  }, 120_000);
  afterAll(async () => {
    await cleanup?.();
  }, 60_000);

  test('approve applies a label and dismisses the competing suggestion; dismiss applies nothing', async () => {
    const bug = (await bot.rest.issues.getLabel({ ...repo, name: 'bug' })).data;
    const a = await suggest({ action: 'add_label', target_id: bug.id, rationale: 'a crash', confidence: 'HIGH' });
    const twin = await suggest({ action: 'add_label', target_id: bug.id });
    const assign = await suggest({ action: 'add_assignee', target_id: Number(clone.tokens.botUserId) });
    const close = await suggest({ action: 'close_issue', target_value: 'not_planned' });
    expect((await listed()).map((s) => s.id)).toEqual([a.id, twin.id, assign.id, close.id]);
    expect((await listed({ action: 'add_assignee' })).map((s) => s.id)).toEqual([assign.id]);

    const approved = await bot.request('POST /repos/{owner}/{repo}/issues/{issue_number}/suggestions/{suggestion_id}/approve', { ...issue, suggestion_id: a.id });
    const body = approved.data as { state: string; resolved_by: number; issue_event_id: number };
    expect(body.state).toBe('approved');
    expect(body.resolved_by).toBe(Number(clone.tokens.botUserId));
    expect((await bot.rest.issues.listLabelsOnIssue(issue)).data.map((l) => l.name)).toEqual(['bug']);
    const event = (await bot.rest.issues.getEvent({ ...repo, event_id: body.issue_event_id })).data;
    expect(event.event).toBe('labeled');
    expect((await listed({ state: 'dismissed' })).map((s) => s.id)).toEqual([twin.id]);

    await bot.request('POST /repos/{owner}/{repo}/issues/{issue_number}/suggestions/{suggestion_id}/approve', { ...issue, suggestion_id: assign.id });
    expect((await bot.rest.issues.get(issue)).data.assignees?.map((u) => u.login)).toEqual(['asym-bot']);

    const dismissed = (await bot.request('POST /repos/{owner}/{repo}/issues/{issue_number}/suggestions/{suggestion_id}/dismiss', { ...issue, suggestion_id: close.id })).data as { state: string };
    expect(dismissed.state).toBe('dismissed');
    expect((await bot.rest.issues.get(issue)).data.state).toBe('open');
    expect(await listed()).toEqual([]);
    expect((await listed({ state: 'all' })).length).toBe(4);
    // Resolved suggestions cannot be resolved again.
    expect(await status(bot.request('POST /repos/{owner}/{repo}/issues/{issue_number}/suggestions/{suggestion_id}/approve', { ...issue, suggestion_id: close.id }))).toBe(422);
  });

  test('close_issue closes with its reason; errors as documented', async () => {
    const close = await suggest({ action: 'close_issue', target_value: 'not_planned' });
    await bot.request('POST /repos/{owner}/{repo}/issues/{issue_number}/suggestions/{suggestion_id}/approve', { ...issue, suggestion_id: close.id });
    const now = (await bot.rest.issues.get(issue)).data;
    expect([now.state, now.state_reason]).toEqual(['closed', 'not_planned']);
    expect(await status(bot.request('GET /repos/{owner}/{repo}/issues/{issue_number}/suggestions', { ...issue, state: 'bogus' as never }))).toBe(422);
    expect(await status(bot.request('POST /repos/{owner}/{repo}/issues/{issue_number}/suggestions/{suggestion_id}/dismiss', { ...issue, suggestion_id: 12345 }))).toBe(404);
    const outsider = octokit(clone, (await newUser(clone, unique('reader').slice(0, 30))).token);
    const pending = await suggest({ action: 'close_issue' });
    expect(await status(outsider.request('POST /repos/{owner}/{repo}/issues/{issue_number}/suggestions/{suggestion_id}/dismiss', { ...issue, suggestion_id: pending.id }))).toBe(403);
  });

  test('every answer matches GitHub\'s schema', () => {
    const problems = rec.filter((r) => r.status === 200 && r.key.includes('/suggestions')).flatMap(schemaErrors);
    expect(problems).toEqual([]);
  });
});
