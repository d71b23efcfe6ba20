/** The one label every asym Docker resource carries, and the reserved value of the shared infra. */
export const CLONE_LABEL = 'asym.clone';
export const SERVICE_LABEL = 'asym.service';
export const TEMPLATE_LABEL = 'asym.template';
export const INFRA_LABEL_VALUE = '__infra__';

/** Hostnames of the shared infra on its network, as clone containers see them. */
export const PG_ALIAS = 'asym-postgres';
export const REDIS_ALIAS = 'asym-redis';
/** Which ASYM_HOME a resource belongs to (hash of its path): doctor only touches its own. */
export const HOME_LABEL = 'asym.home';
