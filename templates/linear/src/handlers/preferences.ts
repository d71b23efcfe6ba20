import { getNamedType, isEnumType, isListType, isNonNullType, isObjectType, type GraphQLOutputType } from 'graphql';
import { invalidInput, linearError } from '../errors.ts';
import { linearSchema, type Resolver, type TypeResolvers } from '../gql.ts';
import type { Rc, Row } from '../request.ts';
import { need } from './query.ts';
import { insertRow, json, nextSyncId, updateRow } from '../write.ts';

/**
 * View preferences: workspace defaults (type `organization`) and each person's overrides
 * (type `user`), per view type and optionally per entity (a team's board, a project's
 * issues). Creating preferences for a view type and scope that already has some replaces
 * them, as Linear documents; only the owner updates a user's preferences.
 * `userViewPreferences(viewType)` answers the viewer's own, unscoped, preferences for the
 * view type, or null. Values are checked against ViewPreferencesValues' declared types.
 */
type Input = Record<string, any>;

/** The entity ids a preferences object may be scoped to, and the clone entity each names (null: not modelled). */
const SCOPES: Array<[string, Parameters<Rc['load']>[0] | null]> = [
  ['teamId', 'team'], ['projectId', 'project'], ['labelId', 'label'], ['projectLabelId', 'projectLabel'],
  ['customViewId', null], ['initiativeId', null], ['initiativeLabelId', null], ['releasePipelineId', null],
];

function fitsType(v: unknown, t: GraphQLOutputType): boolean {
  if (v === null) return !isNonNullType(t);
  const inner = isNonNullType(t) ? t.ofType : t;
  if (isListType(inner)) return Array.isArray(v) && v.every((x) => fitsType(x, inner.ofType));
  if (isEnumType(inner)) return typeof v === 'string' && inner.getValues().some((e) => e.name === v);
  if (isObjectType(inner)) return typeof v === 'object' && !Array.isArray(v);
  const name = getNamedType(inner).name;
  if (name === 'Boolean') return typeof v === 'boolean';
  if (name === 'Float' || name === 'Int') return typeof v === 'number' && (name === 'Float' || Number.isInteger(v));
  return typeof v === 'string';
}

function checkPreferences(prefs: unknown): Record<string, unknown> {
  if (!prefs || typeof prefs !== 'object' || Array.isArray(prefs)) throw invalidInput('preferences must be an object');
  const fields = (linearSchema().getType('ViewPreferencesValues') as import('graphql').GraphQLObjectType).getFields();
  for (const [k, v] of Object.entries(prefs)) {
    const f = fields[k];
    if (!f) throw invalidInput(`preferences.${k} is not a view preference`);
    if (!fitsType(v, f.type)) throw invalidInput(`preferences.${k} must be a ${String(f.type)}`);
  }
  return prefs as Record<string, unknown>;
}

async function scopeOf(rc: Rc, input: Input): Promise<string> {
  const given = SCOPES.filter(([k]) => input[k]);
  if (given.length > 1) throw invalidInput('View preferences can be scoped to one entity at most');
  if (!given.length) return '';
  const [k, entity] = given[0]!;
  if (!entity) throw linearError('invalid input', 'Entity not found', { code: 'INPUT_ERROR', userPresentableMessage: `Could not find referenced ${k.replace(/Id$/, '')}.` });
  const row = await need(rc, entity, input[k], k.replace(/Id$/, ''));
  return `${k}:${row.id}`;
}

export const PREFERENCE_TYPES: TypeResolvers = {
  ViewPreferences: {
    preferences: (s: Row) => s.preferences ?? {},
  },
};

export const PREFERENCE_QUERIES: Record<string, Resolver> = {
  userViewPreferences: async (_s, { viewType }: { viewType: string }, rc) =>
    (await rc.ctx.db.q<Row>`select * from view_preferences where type = 'user' and user_id = ${rc.viewerId} and view_type = ${viewType} and scope = '' and archived_at is null`)[0] ?? null,
};

export const PREFERENCE_MUTATIONS: Record<string, Resolver> = {
  viewPreferencesCreate: async (_s, { input }: { input: Input }, rc) => {
    const preferences = checkPreferences(input.preferences);
    const scope = await scopeOf(rc, input);
    const userId = input.type === 'user' ? (input.userId ?? rc.viewerId) : null;
    if (userId && userId !== rc.viewerId) throw linearError('forbidden', 'Forbidden', { code: 'FORBIDDEN', statusCode: 403, userPresentableMessage: 'Only the owning user can set their view preferences.' });
    if (input.type === 'organization' && input.userId) throw invalidInput('Organization view preferences belong to no user');
    // Preferences already there for the same view type and scope are replaced.
    await rc.ctx.db.q`delete from view_preferences where type = ${input.type} and view_type = ${input.viewType} and user_id is not distinct from ${userId} and scope = ${scope}`;
    const row = await insertRow(rc, 'viewPreferences', { id: input.id ?? crypto.randomUUID(), type: input.type, view_type: input.viewType, user_id: userId, scope, preferences: json(preferences), ...(input.insights ? { insights: json(input.insights) } : {}) });
    return { success: true, lastSyncId: await nextSyncId(rc), viewPreferences: row };
  },
  viewPreferencesUpdate: async (_s, { id, input }: { id: string; input: Input }, rc) => {
    const row = await need(rc, 'viewPreferences', id, 'view preferences');
    if (row.type === 'user' && row.user_id !== rc.viewerId) throw linearError('forbidden', 'Forbidden', { code: 'FORBIDDEN', statusCode: 403, userPresentableMessage: 'Only the owning user can update their view preferences.' });
    const sets: Record<string, unknown> = {};
    if (input.preferences !== undefined) sets.preferences = json({ ...(row.preferences ?? {}), ...checkPreferences(input.preferences) });
    if (input.insights !== undefined) sets.insights = json(input.insights);
    return { success: true, lastSyncId: await nextSyncId(rc), viewPreferences: await updateRow(rc, 'viewPreferences', id, sets) };
  },
  // "If the preferences do not exist, the operation is treated as a successful idempotent deletion."
  viewPreferencesDelete: async (_s, { id }: { id: string }, rc) => {
    await rc.ctx.db.q`delete from view_preferences where id::text = ${id} and (type <> 'user' or user_id = ${rc.viewerId})`;
    rc.forget('viewPreferences', id);
    return { success: true, lastSyncId: await nextSyncId(rc), entityId: id };
  },
};
