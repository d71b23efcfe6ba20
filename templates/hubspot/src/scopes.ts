import { hsError } from './errors.ts';
import { objectTypeOf, type ObjectType } from './schema.ts';

/**
 * Scopes, as HubSpot enforces them on private-app tokens: every CRM endpoint lists the
 * scopes it takes ("Requirements" in each endpoint's reference) and a token holding none of
 * them gets 403 MISSING_SCOPES, naming them under `requiredGranularScopes` ("one or more of
 * the following scopes are required"). Objects take crm.objects.<type>.read / .write
 * (tickets: `tickets`); property definitions and groups read with the object or schema read
 * scope and change with crm.schemas.<type>.write, as pipelines change (pipelines read with the
 * object's read scope); associations take a scope of either object.
 */

const objectScope = (t: ObjectType, write: boolean): string => (t === 'tickets' ? 'tickets' : `crm.objects.${t}.${write ? 'write' : 'read'}`);
const schemaScopes = (t: ObjectType, write: boolean): string[] => (t === 'tickets' ? ['tickets'] : write ? [`crm.schemas.${t}.write`] : [objectScope(t, false), `crm.schemas.${t}.read`]);

/** A read: GET, or a POST that only reads (batch/read, search). */
const reads = (method: string, path: string): boolean => method === 'GET' || (method === 'POST' && /\/(batch\/read|search)$/.test(path));

/** Segments of `template` that are parameters, with the values `path` gives them. */
function params(template: string, path: string): Record<string, string> {
  const t = template.split('/');
  const p = path.split('/');
  const out: Record<string, string> = {};
  t.forEach((seg, i) => {
    if (/^\{.+\}$/.test(seg) && p[i] !== undefined) out[seg.slice(1, -1)] = decodeURIComponent(p[i]!);
  });
  return out;
}

/** The scopes any one of which the operation takes, or null when it takes none the clone checks. */
export function requiredScopes(method: string, template: string, path: string, fixedType?: ObjectType): string[] | null {
  const write = !reads(method, path);
  const ps = params(template, path);
  // Deal splits take their own scope, for reads and writes alike (HubSpot's deal splits guide).
  if (template.startsWith('/crm/v3/objects/deals/splits/')) return ['crm.dealsplits.read_write'];
  if (template.startsWith('/crm/v3/objects/')) {
    const t = fixedType ?? objectTypeOf(ps.objectType ?? '');
    return t ? [objectScope(t, write)] : null;
  }
  if (template.startsWith('/crm/v3/properties/')) {
    const t = objectTypeOf(ps.objectType ?? '');
    return t ? schemaScopes(t, write) : null;
  }
  if (template.startsWith('/crm/v3/pipelines/')) {
    const t = objectTypeOf(ps.objectType ?? '');
    return t ? (write ? schemaScopes(t, true) : [objectScope(t, false)]) : null;
  }
  if (template.includes('/associations')) {
    const types = [ps.fromObjectType ?? ps.objectType, ps.toObjectType].map((x) => objectTypeOf(x ?? '')).filter((x): x is ObjectType => !!x);
    return types.length ? [...new Set(types.map((t) => objectScope(t, write)))] : null;
  }
  return null;
}

/** HubSpot's 403 for a token that holds none of the operation's scopes. */
export function checkScopes(granted: readonly string[], required: string[] | null): void {
  if (!required || required.some((s) => granted.includes(s))) return;
  throw hsError(403, 'MISSING_SCOPES', "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.", {
    errors: [{ message: 'One or more of the following scopes are required.', context: { requiredGranularScopes: required } }],
    links: { scopes: 'https://developers.hubspot.com/scopes' },
  });
}
