import type { KitContext } from '../../_kit/types.ts';
import { PACKAGE_TYPES } from './handlers/packages.ts';
import type { UserRow } from './types.ts';

/**
 * Seed records for what the REST API can read but not make (seed-records.ts hands these
 * entities over, after users and repositories, so they may name them):
 *
 *   packages: { owner: login, name, package_type, visibility?: public|private, repository?: "owner/name",
 *               docker_conflict?: boolean, versions?: [{ name, tags?, downloads?, license? }] }
 *             one version `1.0.0` when none is given; a package's namespace (owner, type, name) is unique
 */

export const ACCOUNT_ENTITIES = ['packages'];

type Rec = Record<string, unknown>;
type Guarded = (entity: string, index: number, fn: () => Promise<string | null>) => Promise<void>;

const NAME = /^[A-Za-z0-9@][A-Za-z0-9._\/-]{0,213}$/;

export async function seedAccountRecords(ctx: KitContext, records: Record<string, unknown[]>, guarded: Guarded): Promise<void> {
  const db = ctx.db;
  const userByLogin = async (login: unknown): Promise<UserRow | null> =>
    typeof login === 'string' ? ((await db.q<UserRow>`select * from users where lower(login) = lower(${login})`)[0] ?? null) : null;

  for (const [i, raw] of (records.packages ?? []).entries()) {
    await guarded('packages', i, async () => {
      const r = (raw ?? {}) as Rec;
      const owner = await userByLogin(r.owner);
      if (!owner) return `unknown owner ${String(r.owner)}`;
      if (typeof r.name !== 'string' || !NAME.test(r.name)) return 'name must be a package name (letters, digits, . _ - / @)';
      if (typeof r.package_type !== 'string' || !(PACKAGE_TYPES as readonly string[]).includes(r.package_type)) return `package_type must be one of ${PACKAGE_TYPES.join(', ')}`;
      const visibility = r.visibility ?? 'private';
      if (visibility !== 'public' && visibility !== 'private') return 'visibility must be public or private';
      let repoId: number | null = null;
      if (r.repository !== undefined && r.repository !== null) {
        const [o, n] = typeof r.repository === 'string' ? r.repository.split('/') : [];
        const [repo] = await db.q<{ id: number }>`select r.id from repos r join users u on u.id = r.owner_id where lower(u.login) = lower(${o ?? ''}) and lower(r.name) = lower(${n ?? ''})`;
        if (!repo) return `unknown repository ${String(r.repository)}`;
        repoId = repo.id;
      }
      const versions = r.versions === undefined || r.versions === null ? [{ name: '1.0.0' }] : r.versions;
      if (!Array.isArray(versions) || !versions.length) return 'versions must be a non-empty list of {name, tags?, downloads?, license?}';
      for (const [k, v] of versions.entries()) {
        const vr = (v ?? {}) as Rec;
        if (typeof vr.name !== 'string' || !vr.name.trim()) return `versions[${k}].name is required`;
        if (vr.tags !== undefined && (!Array.isArray(vr.tags) || !vr.tags.every((t) => typeof t === 'string'))) return `versions[${k}].tags must be a list of strings`;
        if (vr.downloads !== undefined && (!Number.isInteger(vr.downloads) || (vr.downloads as number) < 0)) return `versions[${k}].downloads must be a whole number`;
      }
      return db.tx(async (tx) => {
        const [p] = (await tx`insert into packages (owner_id, package_type, name, visibility, repo_id, docker_conflict)
          values (${owner.id}, ${r.package_type}, ${r.name}, ${visibility}, ${repoId}, ${r.docker_conflict === true}) on conflict do nothing returning id`) as { id: number }[];
        if (!p) return `package ${owner.login}/${String(r.package_type)}/${String(r.name)} exists`;
        for (const v of versions as Rec[]) {
          await tx`insert into package_versions (package_id, name, tags, license, downloads)
            values (${p.id}, ${v.name}, ${(v.tags as string[] | undefined) ?? []}::text[], ${typeof v.license === 'string' ? v.license : null}, ${(v.downloads as number | undefined) ?? 0})`;
        }
        return null;
      });
    });
  }
}
