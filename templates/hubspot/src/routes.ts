import type { TokenCache } from '../../_kit/auth.ts';
import type { Caller } from './auth.ts';
import * as associations from './handlers/associations.ts';
import * as associationsV3 from './handlers/associations-v3.ts';
import * as assocSchema from './handlers/association-schema.ts';
import { highUsageReport } from './handlers/association-usage.ts';
import * as objects from './handlers/objects.ts';
import * as pipelines from './handlers/pipelines.ts';
import * as props from './handlers/properties.ts';
import * as groups from './handlers/property-groups.ts';
import * as dealSplits from './handlers/deal-splits.ts';
import { search } from './handlers/search.ts';
import { TOKEN_INFO_PATH, tokenInfo } from './handlers/token-info.ts';
import { OBJECT_TYPES, type ObjectType } from './schema.ts';
import type { Route } from './types.ts';

/**
 * Every implemented operation (method, path template as in operations.json, handler);
 * scripts/derive-operations.ts marks operations.json from this table.
 */

const ID_PARAM: Record<string, string> = { contacts: '{contactId}', companies: '{companyId}', deals: '{dealId}', tickets: '{ticketId}', '{objectType}': '{objectId}' };

/** /crm/v3/objects/{contacts,companies,deals,tickets}: one set each (the type fixed), and /crm/v3/objects/{objectType} (the type from the path). */
function objectRoutes(seg: string, type?: ObjectType): Route[] {
  const base = `/crm/v3/objects/${seg}`;
  const typed = type === undefined;
  const r = (method: Route['method'], path: string, handler: Route['handler']): Route => ({ method, path, handler, ...(type ? { type } : { typed }) });
  const out: Route[] = [
    r('GET', base, objects.list),
    r('POST', base, objects.create),
    r('GET', `${base}/${ID_PARAM[seg]}`, objects.getOne),
    r('PATCH', `${base}/${ID_PARAM[seg]}`, objects.update),
    r('DELETE', `${base}/${ID_PARAM[seg]}`, objects.archive),
    r('POST', `${base}/batch/read`, objects.batchRead),
    r('POST', `${base}/batch/create`, objects.batchCreate),
    r('POST', `${base}/batch/update`, objects.batchUpdate),
    r('POST', `${base}/batch/upsert`, objects.batchUpsert),
    r('POST', `${base}/batch/archive`, objects.batchArchive),
    r('POST', `${base}/search`, search),
  ];
  if (type) out.push(r('POST', `${base}/merge`, objects.merge));
  if (type === 'contacts') out.push(r('POST', `${base}/gdpr-delete`, objects.gdprDelete));
  return out;
}

const R = (method: Route['method'], path: string, handler: Route['handler']): Route => ({ method, path, handler });
const V4 = '/crm/v4/associations/{fromObjectType}/{toObjectType}';
const V3 = '/crm/v3/associations/{fromObjectType}/{toObjectType}';
const CONF = '/crm/v4/associations/definitions/configurations';
const PL = '/crm/v3/pipelines/{objectType}';

export const ROUTES: Route[] = [
  ...OBJECT_TYPES.flatMap((t) => objectRoutes(t, t)),
  ...objectRoutes('{objectType}'),
  R('POST', '/crm/v3/objects/deals/splits/batch/read', dealSplits.read),
  R('POST', '/crm/v3/objects/deals/splits/batch/upsert', dealSplits.upsert),

  R('GET', '/crm/v4/objects/{objectType}/{objectId}/associations/{toObjectType}', associations.getPage),
  R('PUT', '/crm/v4/objects/{objectType}/{objectId}/associations/{toObjectType}/{toObjectId}', associations.createLabeled),
  R('DELETE', '/crm/v4/objects/{objectType}/{objectId}/associations/{toObjectType}/{toObjectId}', associations.archiveOne),
  R('PUT', '/crm/v4/objects/{fromObjectType}/{fromObjectId}/associations/default/{toObjectType}/{toObjectId}', associations.createDefault),
  R('POST', `${V4}/batch/create`, associations.batchCreate),
  R('POST', `${V4}/batch/associate/default`, associations.batchDefault),
  R('POST', `${V4}/batch/archive`, associations.batchArchive),
  R('POST', `${V4}/batch/labels/archive`, associations.batchArchiveLabels),
  R('POST', `${V4}/batch/read`, associations.batchRead),
  R('GET', `${V4}/labels`, associations.labels),
  R('POST', `${V4}/labels`, assocSchema.createLabel),
  R('PUT', `${V4}/labels`, assocSchema.updateLabel),
  R('DELETE', `${V4}/labels/{associationTypeId}`, assocSchema.removeLabel),
  R('GET', `${CONF}/all`, assocSchema.allConfigurations),
  R('GET', `${CONF}/{fromObjectType}/{toObjectType}`, assocSchema.pairConfigurations),
  R('POST', `${CONF}/{fromObjectType}/{toObjectType}/batch/create`, assocSchema.createConfigurations),
  R('POST', `${CONF}/{fromObjectType}/{toObjectType}/batch/update`, assocSchema.updateConfigurations),
  R('POST', `${CONF}/{fromObjectType}/{toObjectType}/batch/purge`, assocSchema.purgeConfigurations),
  R('POST', '/crm/v4/associations/usage/high-usage-report/{userId}', highUsageReport),

  R('POST', `${V3}/batch/create`, associationsV3.batchCreate),
  R('POST', `${V3}/batch/archive`, associationsV3.batchArchive),
  R('POST', `${V3}/batch/read`, associationsV3.batchRead),
  R('GET', `${V3}/types`, associationsV3.types),

  R('GET', PL, pipelines.pipelines),
  R('POST', PL, pipelines.createPipeline),
  R('GET', `${PL}/{pipelineId}`, pipelines.pipeline),
  R('PATCH', `${PL}/{pipelineId}`, pipelines.updatePipeline),
  R('PUT', `${PL}/{pipelineId}`, pipelines.replacePipeline),
  R('DELETE', `${PL}/{pipelineId}`, pipelines.archivePipeline),
  R('GET', `${PL}/{pipelineId}/audit`, pipelines.pipelineAudit),
  R('GET', `${PL}/{pipelineId}/stages`, pipelines.stages),
  R('POST', `${PL}/{pipelineId}/stages`, pipelines.createStage),
  R('GET', `${PL}/{pipelineId}/stages/{stageId}`, pipelines.stage),
  R('PATCH', `${PL}/{pipelineId}/stages/{stageId}`, pipelines.updateStage),
  R('PUT', `${PL}/{pipelineId}/stages/{stageId}`, pipelines.replaceStage),
  R('DELETE', `${PL}/{pipelineId}/stages/{stageId}`, pipelines.archiveStage),
  R('GET', `${PL}/{pipelineId}/stages/{stageId}/audit`, pipelines.stageAudit),
  R('GET', '/crm/v3/properties/{objectType}', props.properties),
  R('POST', '/crm/v3/properties/{objectType}', props.createProperty),
  R('GET', '/crm/v3/properties/{objectType}/{propertyName}', props.property),
  R('PATCH', '/crm/v3/properties/{objectType}/{propertyName}', props.updateProperty),
  R('DELETE', '/crm/v3/properties/{objectType}/{propertyName}', props.archiveProperty),
  R('POST', '/crm/v3/properties/{objectType}/batch/read', props.batchReadProperties),
  R('POST', '/crm/v3/properties/{objectType}/batch/create', props.batchCreateProperties),
  R('POST', '/crm/v3/properties/{objectType}/batch/archive', props.batchArchiveProperties),
  R('GET', '/crm/v3/properties/{objectType}/groups', groups.groups),
  R('POST', '/crm/v3/properties/{objectType}/groups', groups.createGroup),
  R('GET', '/crm/v3/properties/{objectType}/groups/{groupName}', groups.group),
  R('PATCH', '/crm/v3/properties/{objectType}/groups/{groupName}', groups.updateGroup),
  R('DELETE', '/crm/v3/properties/{objectType}/groups/{groupName}', groups.archiveGroup),
];

/** A route served without an Authorization header: it reads the token cache itself. */
export interface OpenRoute {
  method: 'POST';
  path: string;
  open: true;
  serve(body: Record<string, any>, tokens: TokenCache<Caller>): Promise<unknown>;
}

/** Token introspection, authenticated by the token in its body (see handlers/token-info.ts). */
export const OPEN_ROUTES: OpenRoute[] = [{ method: 'POST', path: TOKEN_INFO_PATH, open: true, serve: tokenInfo }];
