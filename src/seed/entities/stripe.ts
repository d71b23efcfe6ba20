import type { AiEntity } from '../entities.ts';

/** AI-seed entities of the stripe template (none yet: seed it with its fixture pack). */
export const stripe: AiEntity[] = [];
