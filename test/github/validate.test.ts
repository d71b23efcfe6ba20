/** The conformance validator itself: it must reject what GitHub's schemas reject. */
import { describe, expect, test } from 'bun:test';
import { validate } from '../../src/verify/json-schema.ts';
import { responseSchema } from './helpers.ts';

describe('github response validator', () => {
  const label = responseSchema('GET /repos/{owner}/{repo}/labels/{name}').schema!;
  const good = { id: 1, node_id: 'x', url: 'http://h/repos/o/r/labels/bug', name: 'bug', description: null, color: 'd73a4a', default: true };

  test('accepts a well-formed label and ignores extra fields', () => {
    expect(validate(label, { ...good, extra: 1 })).toEqual([]);
  });

  test('reports missing required fields, wrong types and bad nulls', () => {
    const { id: _id, ...noId } = good;
    expect(validate(label, noId)).toEqual(['$.id: required field missing']);
    expect(validate(label, { ...good, id: '1' })[0]).toContain('$.id: expected integer');
    expect(validate(label, { ...good, name: null })[0]).toContain('$.name: null');
  });

  test('walks arrays, nested objects, enums and date-times', () => {
    const issue = responseSchema('GET /repos/{owner}/{repo}/issues/{issue_number}').schema!;
    expect(validate(issue, { state: 'open' }).length).toBeGreaterThan(10);
    const list = responseSchema('GET /repos/{owner}/{repo}/labels').schema!;
    expect(validate(list, [good, { ...good, default: 'yes' }])).toEqual([expect.stringContaining('$[1].default')]);
    const reaction = responseSchema('POST /repos/{owner}/{repo}/issues/{issue_number}/reactions').schema!;
    const user = responseSchema('GET /users/{username}').schema!;
    expect(validate(reaction, { id: 1, node_id: 'n', user: null, content: 'smile', created_at: 'yesterday' })).toEqual(
      expect.arrayContaining([expect.stringContaining('not in enum'), expect.stringContaining('not a date-time')]),
    );
    expect(validate(user, [])[0]).toContain('matches none of oneOf');
  });

  test('a 204 operation has no body schema', () => {
    expect(responseSchema('DELETE /repos/{owner}/{repo}').schema).toBeNull();
  });
});
