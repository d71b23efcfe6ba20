/**
 * Conformance calls for the operations of templates/github/src/routes-user-extras.ts
 * (codespaces, codespaces secrets, activity, watching, hovercard, issue field values and
 * suggestions, pending org memberships, the user's teams), made by conformance.test.ts with its recorder.
 */
import { expect } from 'bun:test';
import { randomBytes } from 'node:crypto';
import type { Octokit } from '@octokit/rest';
import { admin, newUser, octokit, unique, type Clone, type Recorded } from './helpers.ts';

export async function callExtrasA(clone: Clone, bot: Octokit, rec: Recorded[]): Promise<void> {
  const org = clone.tokens.workspaceId;
  const repo = { owner: 'asym-bot', repo: unique('conf-a') };
  const repoId = (await bot.rest.repos.createForAuthenticatedUser({ name: repo.repo, auto_init: true })).data.id;
  const tplId = (await bot.rest.repos.createForAuthenticatedUser({ name: unique('conf-a-tpl'), auto_init: true, is_template: true })).data.id;

  const cs = (await bot.rest.codespaces.createForAuthenticatedUser({ repository_id: repoId })).data;
  const codespace_name = cs.name;
  expect((await bot.rest.codespaces.listForAuthenticatedUser()).data.total_count).toBeGreaterThan(0);
  expect((await bot.rest.codespaces.getForAuthenticatedUser({ codespace_name })).data.id).toBe(cs.id);
  expect((await bot.rest.codespaces.updateForAuthenticatedUser({ codespace_name, display_name: 'conf' })).data.display_name).toBe('conf');
  expect((await bot.rest.codespaces.codespaceMachinesForAuthenticatedUser({ codespace_name })).data.total_count).toBeGreaterThan(0);
  expect((await bot.rest.codespaces.stopForAuthenticatedUser({ codespace_name })).data.state).toBe('Shutdown');
  expect((await bot.rest.codespaces.startForAuthenticatedUser({ codespace_name })).data.state).toBe('Available');
  const ex = (await bot.rest.codespaces.exportForAuthenticatedUser({ codespace_name })).data;
  expect((await bot.rest.codespaces.getExportDetailsForAuthenticatedUser({ codespace_name, export_id: ex.id! })).data.id).toBe(ex.id);
  const fromTpl = (await bot.rest.codespaces.createForAuthenticatedUser({ repository_id: tplId })).data;
  expect((await bot.rest.codespaces.publishForAuthenticatedUser({ codespace_name: fromTpl.name, name: unique('conf-a-pub') })).status).toBe(201);
  expect((await bot.rest.codespaces.deleteForAuthenticatedUser({ codespace_name })).status).toBe(202);

  const key = (await bot.rest.codespaces.getPublicKeyForAuthenticatedUser()).data;
  const secret_name = 'CONF_A';
  expect((await bot.rest.codespaces.createOrUpdateSecretForAuthenticatedUser({ secret_name, key_id: key.key_id, encrypted_value: randomBytes(60).toString('base64') })).status).toBe(201);
  expect((await bot.rest.codespaces.getSecretForAuthenticatedUser({ secret_name })).data.name).toBe(secret_name);
  expect((await bot.rest.codespaces.listSecretsForAuthenticatedUser()).data.total_count).toBeGreaterThan(0);
  expect((await bot.rest.codespaces.setRepositoriesForSecretForAuthenticatedUser({ secret_name, selected_repository_ids: [repoId] })).status).toBe(204);
  expect((await bot.rest.codespaces.addRepositoryForSecretForAuthenticatedUser({ secret_name, repository_id: tplId })).status).toBe(204);
  expect((await bot.rest.codespaces.removeRepositoryForSecretForAuthenticatedUser({ secret_name, repository_id: tplId })).status).toBe(204);
  expect((await bot.rest.codespaces.listRepositoriesForSecretForAuthenticatedUser({ secret_name })).data.total_count).toBe(1);
  expect((await bot.rest.codespaces.deleteSecretForAuthenticatedUser({ secret_name })).status).toBe(204);

  const issue = { ...repo, issue_number: (await bot.rest.issues.create({ ...repo, title: 'conf-a' })).data.number };
  expect((await bot.rest.activity.listEventsForAuthenticatedUser({ username: 'asym-bot' })).data.length).toBeGreaterThan(0);
  expect((await bot.rest.activity.listPublicEventsForUser({ username: 'asym-bot' })).data.length).toBeGreaterThan(0);
  expect((await bot.rest.activity.listOrgEventsForAuthenticatedUser({ username: 'asym-bot', org })).status).toBe(200);
  expect((await bot.rest.activity.listReceivedEventsForUser({ username: 'asym-bot' })).status).toBe(200);
  expect((await bot.rest.activity.listReceivedPublicEventsForUser({ username: 'asym-bot' })).status).toBe(200);
  expect((await bot.rest.activity.listWatchedReposForAuthenticatedUser()).data.length).toBeGreaterThan(0);
  expect((await bot.rest.activity.listReposWatchedByUser({ username: 'asym-bot' })).data.length).toBeGreaterThan(0);
  await admin(clone, 'gists', { user: 'asym-bot', files: { 'x.md': { content: 'x' } } });
  expect((await bot.rest.gists.listForUser({ username: 'asym-bot' })).data.length).toBeGreaterThan(0);
  expect((await bot.rest.users.getContextForUser({ username: 'asym-bot', subject_type: 'repository', subject_id: String(repoId) })).data.contexts.length).toBe(1);

  const orgRepo = { owner: org, repo: unique('conf-a-org') };
  await bot.rest.repos.createInOrg({ org, name: orgRepo.repo });
  const orgIssue = { ...orgRepo, issue_number: (await bot.rest.issues.create({ ...orgRepo, title: 'fields' })).data.number };
  const field = (await admin(clone, 'issue-fields', { org, name: unique('Size'), data_type: 'number' })).field.id as number;
  const values = [{ field_id: field, value: 2 }];
  expect((await bot.request('POST /repos/{owner}/{repo}/issues/{issue_number}/issue-field-values', { ...orgIssue, issue_field_values: values })).status).toBe(200);
  expect((await bot.request('PUT /repos/{owner}/{repo}/issues/{issue_number}/issue-field-values', { ...orgIssue, issue_field_values: values })).status).toBe(200);
  expect((await bot.request('GET /repos/{owner}/{repo}/issues/{issue_number}/issue-field-values', orgIssue)).data).toHaveLength(1);
  expect((await bot.request('DELETE /repos/{owner}/{repo}/issues/{issue_number}/issue-field-values/{issue_field_id}', { ...orgIssue, issue_field_id: field })).status).toBe(204);

  const suggest = async () => (await admin(clone, 'issue-suggestions', { ...issue, action: 'close_issue' })).suggestion.id as number;
  const [a, b] = [await suggest(), await suggest()];
  expect((await bot.request('GET /repos/{owner}/{repo}/issues/{issue_number}/suggestions', issue)).data).toHaveLength(2);
  expect((await bot.request('POST /repos/{owner}/{repo}/issues/{issue_number}/suggestions/{suggestion_id}/dismiss', { ...issue, suggestion_id: a })).status).toBe(200);
  expect((await bot.request('POST /repos/{owner}/{repo}/issues/{issue_number}/suggestions/{suggestion_id}/approve', { ...issue, suggestion_id: b })).status).toBe(200);

  const invitee = await newUser(clone, unique('conf-inv').slice(0, 30));
  await admin(clone, 'org-invitations', { org, user: invitee.login });
  expect((await octokit(clone, invitee.token, rec).rest.orgs.updateMembershipForAuthenticatedUser({ org, state: 'active' })).data.state).toBe('active');
  await admin(clone, 'teams', { org, name: unique('conf-a-team'), members: ['asym-bot'] });
  expect((await bot.rest.teams.listForAuthenticatedUser()).data.length).toBeGreaterThan(0);
}
