/** The GraphQL answer checker used by Linear's verifier catches answers that break the schema. */
import { expect, test } from 'bun:test';
import { linearShapeErrors } from '../../templates/linear/verify/shapes.ts';

const ex = (query: string, data: unknown) => ({ method: 'POST', path: '/graphql', status: 200, body: { data }, requestBody: JSON.stringify({ query }) });
const Q = 'query issue($id: String!) { issue(id: $id) { ...I } } fragment I on Issue { __typename id identifier priority createdAt state { id } labels { nodes { id } pageInfo { hasNextPage } } }';
const good = { __typename: 'Issue', id: 'a', identifier: 'ENG-1', priority: 2, createdAt: '2026-01-01T00:00:00.000Z', state: { id: 's' }, labels: { nodes: [], pageInfo: { hasNextPage: false } } };

test('a conforming answer has no problems', () => {
  expect(linearShapeErrors('query issue', ex(Q, { issue: good }))).toEqual([]);
});

test('nulls in non-null fields, wrong scalars, missing selections and wrong typenames are caught', () => {
  expect(linearShapeErrors('query issue', ex(Q, { issue: { ...good, __typename: 'Comment' } }))).toEqual(['issue.__typename: Comment, expected Issue']);
  const problems = linearShapeErrors('query issue', ex(Q, { issue: { ...good, identifier: null, priority: 'high', createdAt: 'soon', labels: { nodes: {} } } }));
  expect(problems).toContain('issue.identifier: null for non-null String!');
  expect(problems).toContain('issue.priority: "high" is not a Float');
  expect(problems).toContain('issue.createdAt: "soon" is not a DateTime');
  expect(problems).toContain('issue.labels.nodes: not a list');
  expect(problems).toContain('issue.labels.pageInfo: missing');
  expect(linearShapeErrors('query issue', ex(Q, { issue: null }))).toEqual(['issue: null for non-null Issue!']);
});
