import type { TokenCache } from '../../_kit/auth.ts';
import type { Route } from './api.ts';
import { associationRoutes } from './associations.ts';
import type { Caller } from './auth.ts';
import { metaRoutes } from './meta.ts';
import { objectRouteList } from './objects.ts';
import { TOKEN_INFO_PATH, tokenInfo } from './token-info.ts';

/** Every implemented operation; scripts/derive-operations.ts marks operations.json from this. */
export const ROUTES: Route[] = [...objectRouteList, ...associationRoutes, ...metaRoutes];

/** A route served without an Authorization header: it reads the token cache itself. */
export interface OpenRoute {
  method: 'POST';
  path: string;
  open: true;
  serve(body: Record<string, any>, tokens: TokenCache<Caller>): Promise<unknown>;
}

/** Token introspection, authenticated by the token in its body (see token-info.ts). */
export const OPEN_ROUTES: OpenRoute[] = [{ method: 'POST', path: TOKEN_INFO_PATH, open: true, serve: tokenInfo }];
