import { hsError, invalidProperties, type PropertyProblem } from './errors.ts';
import type { Catalog } from './catalog.ts';
import { PIPELINE_PROPS, isPipelineType } from './pipelines.ts';
import type { ObjectType } from './schema.ts';

/** Property values as HubSpot takes them: checked against the type's definitions, normalised, and the values HubSpot calculates. */

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

function normalizeDate(raw: string): string | null {
  const s = raw.trim();
  const d = /^\d{10,14}$/.test(s) ? new Date(Number(s)) : new Date(s);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** HubSpot's documented limit for a text property value written through the CRM API. */
export const MAX_VALUE_CHARS = 65_536;

/**
 * Checks a `properties` input against the type's definitions and returns the values to
 * store (strings; null clears). Throws HubSpot's VALIDATION_ERROR naming each bad property.
 */
export function normalizeProperties(catalog: Catalog, type: ObjectType, input: unknown): Record<string, string | null> {
  if (input === undefined || input === null) return {};
  if (typeof input !== 'object' || Array.isArray(input)) throw hsError(400, 'VALIDATION_ERROR', 'Invalid input JSON: properties must be an object of property name to value');
  const out: Record<string, string | null> = {};
  const problems: PropertyProblem[] = [];
  for (const [name, raw] of Object.entries(input as Record<string, unknown>)) {
    const def = catalog.def(type, name);
    if (!def) {
      problems.push({ name, error: 'PROPERTY_DOESNT_EXIST', message: `Property "${name}" does not exist` });
      continue;
    }
    if (def.readOnly) {
      problems.push({ name, error: 'READ_ONLY_VALUE', message: `"${name}" is a read only property; its value cannot be set.` });
      continue;
    }
    if (raw === null || raw === undefined || raw === '') {
      out[name] = null;
      continue;
    }
    if (typeof raw === 'object') {
      problems.push({ name, error: 'INVALID_PROPERTY_VALUE', message: `${JSON.stringify(raw)} is not a valid value for ${name}` });
      continue;
    }
    let value = String(raw).trim();
    // HubSpot: "When the value is added through the CRM, the character limit is 65,536 characters."
    if (value.length > MAX_VALUE_CHARS) {
      problems.push({ name, error: 'INVALID_PROPERTY_VALUE', message: `${name} is ${value.length} characters long; the limit is ${MAX_VALUE_CHARS}.` });
      continue;
    }
    switch (def.type) {
      case 'number':
        if (!/^-?\d+(\.\d+)?$/.test(value)) {
          problems.push({ name, error: 'INVALID_FLOAT', message: `${value} was not a valid number.` });
          continue;
        }
        break;
      case 'datetime':
      case 'date': {
        const d = normalizeDate(value);
        if (!d) {
          problems.push({ name, error: 'INVALID_DATE', message: `${value} is not a valid date for ${name}` });
          continue;
        }
        value = d;
        break;
      }
      case 'bool':
        if (value !== 'true' && value !== 'false') {
          problems.push({ name, error: 'INVALID_BOOLEAN', message: `${value} is not a valid boolean` });
          continue;
        }
        break;
      case 'enumeration':
        if (def.options && !def.externalOptions) {
          const values = def.fieldType === 'checkbox' ? value.split(';') : [value];
          const allowed = def.options.map((o) => o.value);
          const bad = values.find((x) => !allowed.includes(x));
          if (bad !== undefined) {
            problems.push({ name, error: 'INVALID_OPTION', message: `${bad} was not one of the allowed options: [${allowed.join(', ')}]` });
            continue;
          }
        }
        break;
      default:
        break;
    }
    if (name === 'email') {
      value = value.toLowerCase();
      if (!EMAIL.test(value)) {
        problems.push({ name, error: 'INVALID_EMAIL', message: `Email address ${value} is invalid` });
        continue;
      }
    }
    out[name] = value;
  }
  if (problems.length) throw invalidProperties(problems);
  return out;
}

/**
 * Stage bookkeeping HubSpot calculates: a deal's probability and closed flag from its stage's
 * metadata, a ticket's close date. When the write named the pipeline or the stage, the stage
 * must be one of that pipeline's ("if you're setting a stage that is not in the default
 * pipeline, you'll also need to set the pipeline property").
 */
export function calculated(catalog: Catalog, type: ObjectType, props: Record<string, string>, at: string, written: Record<string, unknown>): void {
  if (!isPipelineType(type)) return;
  const names = PIPELINE_PROPS[type];
  const found = catalog.pipelines.stage(type, props[names.stage] ?? '');
  const stageId = props[names.stage];
  if ((names.stage in written || names.pipeline in written) && stageId && found && found.pipeline.id !== props[names.pipeline]) {
    const stages = catalog.pipelines.get(type, props[names.pipeline] ?? '')?.stages.map((s) => s.id) ?? [];
    throw invalidProperties([{ name: names.stage, error: 'INVALID_OPTION', message: `${stageId} was not one of the allowed options: [${stages.join(', ')}] (the stages of pipeline ${props[names.pipeline]})` }]);
  }
  if (type === 'tickets') {
    if (found?.stage.metadata.ticketState === 'CLOSED') props.closed_date ??= at;
    else if (found) delete props.closed_date;
    return;
  }
  if (found) {
    props.hs_deal_stage_probability = found.stage.metadata.probability ?? '0.0';
    props.hs_is_closed = found.stage.metadata.isClosed ?? 'false';
  }
}
