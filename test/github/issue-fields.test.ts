/**
 * Issue field values through @octokit/rest on fields an organisation defines (made through the
 * admin surface): typed values, options, add / replace / delete, push access.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import type { Octokit } from '@octokit/rest';
import { describeDocker } from '../support/docker.ts';
import { admin, newUser, octokit, schemaErrors, spinGithub, unique, type Clone, type Recorded, statusOf as status } from './helpers.ts';

describeDocker('github issue field values', () => {
  let clone: Clone;
  let cleanup: () => Promise<void>;
  const rec: Recorded[] = [];
  let bot: Octokit;
  const fields: Record<string, { id: number; options: Array<{ id: number; name: string }> }> = {};
  let issue: { owner: string; repo: string; issue_number: number };

  beforeAll(async () => {
    const s = await spinGithub('gh-issue-fields');
    clone = s.clone;
    cleanup = () => s.h.cleanup();
    bot = octokit(clone, clone.tokens.botToken, rec);
    const org = clone.tokens.workspaceId;
    const mk = async (name: string, data_type: string, options?: Array<{ name: string; color: string }>) => (fields[name] = (await admin(clone, 'issue-fields', { org, name, data_type, options })).field);
    await mk('Priority', 'single_select', [{ name: 'P0', color: 'red' }, { name: 'P1', color: 'orange' }]);
    await mk('Estimate', 'number');
    await mk('Due', 'date');
    await mk('Notes', 'text');
    await mk('Areas', 'multi_select', [{ name: 'api', color: 'blue' }, { name: 'ui', color: 'green' }]);
    const repo = { owner: org, repo: unique('fields') };
    await bot.rest.repos.createInOrg({ org, name: repo.repo });
    issue = { ...repo, issue_number: (await bot.rest.issues.create({ ...repo, title: 'with fields' })).data.number };
  }, 120_000);
  afterAll(async () => {
    await cleanup?.();
  }, 60_000);

  const read = async () => (await bot.request('GET /repos/{owner}/{repo}/issues/{issue_number}/issue-field-values', issue)).data as Array<{ issue_field_name: string; value: unknown; single_select_option?: { name: string }; multi_select_options?: Array<{ name: string }> }>;

  test('add, replace, delete; typed values and options', async () => {
    const added = await bot.request('POST /repos/{owner}/{repo}/issues/{issue_number}/issue-field-values', { ...issue, issue_field_values: [{ field_id: fields.Priority!.id, value: 'P0' }, { field_id: fields.Estimate!.id, value: 3 }, { field_id: fields.Areas!.id, value: ['api', 'ui'] }] });
    expect(added.status).toBe(200);
    const now = await read();
    expect(now.find((v) => v.issue_field_name === 'Priority')?.single_select_option?.name).toBe('P0');
    expect(now.find((v) => v.issue_field_name === 'Estimate')?.value).toBe(3);
    expect(now.find((v) => v.issue_field_name === 'Areas')?.multi_select_options?.map((o) => o.name)).toEqual(['api', 'ui']);
    // POST adds: Estimate stays.
    await bot.request('POST /repos/{owner}/{repo}/issues/{issue_number}/issue-field-values', { ...issue, issue_field_values: [{ field_id: fields.Due!.id, value: '2027-01-31' }] });
    expect((await read()).map((v) => v.issue_field_name).sort()).toEqual(['Areas', 'Due', 'Estimate', 'Priority']);
    // PUT replaces.
    await bot.request('PUT /repos/{owner}/{repo}/issues/{issue_number}/issue-field-values', { ...issue, issue_field_values: [{ field_id: fields.Notes!.id, value: 'hello' }, { field_id: fields.Priority!.id, value: 'P1' }] });
    expect((await read()).map((v) => `${v.issue_field_name}=${v.value}`).sort()).toEqual(['Notes=hello', 'Priority=P1']);
    expect((await bot.request('DELETE /repos/{owner}/{repo}/issues/{issue_number}/issue-field-values/{issue_field_id}', { ...issue, issue_field_id: fields.Notes!.id })).status).toBe(204);
    expect(await status(bot.request('DELETE /repos/{owner}/{repo}/issues/{issue_number}/issue-field-values/{issue_field_id}', { ...issue, issue_field_id: fields.Notes!.id }))).toBe(404);
    // An empty POST clears them all.
    await bot.request('POST /repos/{owner}/{repo}/issues/{issue_number}/issue-field-values', { ...issue, issue_field_values: [] });
    expect(await read()).toEqual([]);
  });

  test('values are checked against their field; writes need push access', async () => {
    const post = (issue_field_values: unknown[]) => status(bot.request('POST /repos/{owner}/{repo}/issues/{issue_number}/issue-field-values', { ...issue, issue_field_values } as never));
    expect(await post([{ field_id: fields.Priority!.id, value: 'P9' }])).toBe(422);
    expect(await post([{ field_id: fields.Estimate!.id, value: 'three' }])).toBe(422);
    expect(await post([{ field_id: fields.Due!.id, value: 'soon' }])).toBe(422);
    expect(await post([{ field_id: 1, value: 'x' }])).toBe(422);
    expect(await post(Array.from({ length: 26 }, () => ({ field_id: fields.Notes!.id, value: 'x' })))).toBe(422);
    expect(await status(bot.request('PUT /repos/{owner}/{repo}/issues/{issue_number}/issue-field-values', { ...issue, issue_field_values: [{ field_id: fields.Areas!.id, value: ['api'] }] } as never))).toBe(422);
    const outsider = octokit(clone, (await newUser(clone, unique('outsider').slice(0, 30))).token);
    expect(await status(outsider.request('POST /repos/{owner}/{repo}/issues/{issue_number}/issue-field-values', { ...issue, issue_field_values: [{ field_id: fields.Notes!.id, value: 'x' }] }))).toBe(403);
    expect((await outsider.request('GET /repos/{owner}/{repo}/issues/{issue_number}/issue-field-values', issue)).status).toBe(200);
  });

  test('every answer matches GitHub\'s schema', () => {
    const problems = rec.filter((r) => r.status === 200 && r.key.includes('issue-field-values')).flatMap(schemaErrors);
    expect(problems).toEqual([]);
  });
});
