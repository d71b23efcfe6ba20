import type { AiEntity } from '../entities.ts';

/** AI-seed entities of the github template (none yet: seed it with its fixture pack). */
export const github: AiEntity[] = [];
