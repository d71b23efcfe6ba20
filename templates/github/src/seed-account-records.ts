import type { KitContext } from '../../_kit/types.ts';
import { randomString } from '../../_kit/auth.ts';
import { PREDICATES } from './handlers/attestations.ts';
import { PACKAGE_TYPES } from './handlers/packages.ts';
import { BUILT_IN_FIELDS, builtInType } from './handlers/projects-v2.ts';
import type { UserRow } from './types.ts';

/**
 * Seed records for what the REST API can read but not make (seed-records.ts hands these
 * entities over, after users and repositories, so they may name them):
 *
 *   packages: { owner: login, name, package_type, visibility?: public|private, repository?: "owner/name",
 *               docker_conflict?: boolean, versions?: [{ name, tags?, downloads?, license?, size? (bytes) }] }
 *             one version `1.0.0` when none is given; a package's namespace (owner, type, name) is unique
 *   projects: { owner: login, title, description?, public?: boolean, closed?: boolean,
 *               fields?: [{ name, data_type: text|number|date|single_select|iteration, options?: [name], iterations?: [{ title, start_date, duration? }] }],
 *               items?: [{ issue: "owner/repo#number", values?: { <field name>: value, option name or iteration title } }] }
 *             numbered after the owner's last project, with GitHub's built-in fields (Title, Assignees,
 *             Status with Todo / In Progress / Done, Labels, Repository, Milestone)
 *   attestations: { repository: "owner/name", subject_digest: "sha256:<64 hex>", subject_name?,
 *                   predicate_type?: provenance (default) | sbom | release | a predicate type URI }
 *             a Sigstore bundle holding a DSSE envelope of the in-toto statement (its signature is not a real one)
 */

export const ACCOUNT_ENTITIES = ['packages', 'projects', 'attestations'];
const DIGEST = /^sha256:[0-9a-f]{64}$|^sha512:[0-9a-f]{128}$/;
const CUSTOM_TYPES = ['text', 'number', 'date', 'single_select', 'iteration'];
const COLORS = ['GRAY', 'BLUE', 'GREEN', 'YELLOW', 'ORANGE', 'RED', 'PINK', 'PURPLE'];
const optionId = () => randomString(8, '0123456789abcdef');

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
        if (vr.size !== undefined && (!Number.isSafeInteger(vr.size) || (vr.size as number) < 0)) return `versions[${k}].size must be a whole number of bytes`;
      }
      return db.tx(async (tx) => {
        const [p] = (await tx`insert into packages (owner_id, package_type, name, visibility, repo_id, docker_conflict)
          values (${owner.id}, ${r.package_type}, ${r.name}, ${visibility}, ${repoId}, ${r.docker_conflict === true}) on conflict do nothing returning id`) as { id: number }[];
        if (!p) return `package ${owner.login}/${String(r.package_type)}/${String(r.name)} exists`;
        for (const v of versions as Rec[]) {
          await tx`insert into package_versions (package_id, name, tags, license, downloads, size_bytes)
            values (${p.id}, ${v.name}, ${(v.tags as string[] | undefined) ?? []}::text[], ${typeof v.license === 'string' ? v.license : null}, ${(v.downloads as number | undefined) ?? 0}, ${(v.size as number | undefined) ?? 0})`;
        }
        return null;
      });
    });
  }

  for (const [i, raw] of (records.projects ?? []).entries()) {
    await guarded('projects', i, async () => {
      const r = (raw ?? {}) as Rec;
      const owner = await userByLogin(r.owner);
      if (!owner) return `unknown owner ${String(r.owner)}`;
      if (owner.type !== 'User') return 'only user-owned projects are emulated';
      if (typeof r.title !== 'string' || !r.title.trim() || r.title.length > 256) return 'title is required (at most 256 characters)';
      if (r.description !== undefined && r.description !== null && typeof r.description !== 'string') return 'description must be a string';
      const fields = [
        ...BUILT_IN_FIELDS.map((name) => ({ name, data_type: builtInType(name), options: name === 'Status' ? ['Todo', 'In Progress', 'Done'] : undefined, iterations: undefined })),
      ] as Array<{ name: string; data_type: string; options?: string[]; iterations?: Rec[] }>;
      for (const [k, f] of (Array.isArray(r.fields) ? r.fields : r.fields === undefined ? [] : [null]).entries()) {
        const fr = (f ?? {}) as Rec;
        if (typeof fr.name !== 'string' || !fr.name.trim()) return `fields[${k}].name is required`;
        if (fields.some((x) => x.name.toLowerCase() === (fr.name as string).toLowerCase())) return `fields[${k}]: a field named ${fr.name} exists`;
        if (typeof fr.data_type !== 'string' || !CUSTOM_TYPES.includes(fr.data_type)) return `fields[${k}].data_type must be one of ${CUSTOM_TYPES.join(', ')}`;
        if (fr.data_type === 'single_select' && (!Array.isArray(fr.options) || !fr.options.length || !fr.options.every((o) => typeof o === 'string'))) return `fields[${k}].options must name at least one option`;
        if (fr.data_type === 'iteration' && (!Array.isArray(fr.iterations) || !fr.iterations.every((x) => typeof (x as Rec)?.title === 'string' && typeof (x as Rec)?.start_date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test((x as Rec).start_date as string)))) return `fields[${k}].iterations must be a list of {title, start_date: YYYY-MM-DD, duration?}`;
        fields.push({ name: fr.name, data_type: fr.data_type, options: fr.options as string[] | undefined, iterations: fr.iterations as Rec[] | undefined });
      }
      const items: Array<{ issueId: number; values: Rec }> = [];
      for (const [k, it] of (Array.isArray(r.items) ? r.items : r.items === undefined ? [] : [null]).entries()) {
        const ir = (it ?? {}) as Rec;
        const m = typeof ir.issue === 'string' ? /^([^/\s]+)\/([^#\s]+)#(\d+)$/.exec(ir.issue) : null;
        if (!m) return `items[${k}].issue must be "owner/repo#number"`;
        const [issue] = await db.q<{ id: number }>`select i.id from issues i join repos r on r.id = i.repo_id join users u on u.id = r.owner_id
          where lower(u.login) = lower(${m[1]!}) and lower(r.name) = lower(${m[2]!}) and i.number = ${Number(m[3])}`;
        if (!issue) return `items[${k}]: unknown issue ${ir.issue}`;
        const values = (ir.values ?? {}) as Rec;
        for (const name of Object.keys(values)) {
          if (!fields.some((f) => f.name === name && CUSTOM_TYPES.includes(f.data_type))) return `items[${k}].values: ${name} is not a settable field`;
        }
        items.push({ issueId: issue.id, values });
      }
      return db.tx(async (tx) => {
        const [next] = (await tx`select coalesce(max(number), 0)::int + 1 as n from projects_v2 where owner_id = ${owner.id}`) as { n: number }[];
        const [p] = (await tx`insert into projects_v2 (owner_id, number, title, short_description, public, closed_at, creator_id)
          values (${owner.id}, ${next!.n}, ${r.title}, ${(r.description as string | undefined) ?? null}, ${r.public === true}, ${r.closed === true ? new Date() : null}, ${owner.id}) returning id`) as { id: number }[];
        const made: Array<{ id: number; name: string; data_type: string; options: Array<{ id: string; name: string }> | null; iterations: Array<{ id: string; title: string }> | null }> = [];
        for (const f of fields) {
          const options = f.options ? f.options.map((name, k) => ({ id: optionId(), name, color: COLORS[k % COLORS.length]!, description: '' })) : null;
          const iterations = f.iterations ? f.iterations.map((x) => ({ id: optionId(), title: x.title as string, start_date: x.start_date as string, duration: Number.isInteger(x.duration) ? (x.duration as number) : 14 })) : null;
          const configuration = iterations ? { start_day: 1, duration: iterations[0]?.duration ?? 14, iterations } : null;
          const [row] = (await tx`insert into project_fields (project_id, name, data_type, options, configuration)
            values (${p!.id}, ${f.name}, ${f.data_type}, ${options ? JSON.stringify(options) : null}::text::jsonb, ${configuration ? JSON.stringify(configuration) : null}::text::jsonb) returning id`) as { id: number }[];
          made.push({ id: row!.id, name: f.name, data_type: f.data_type, options, iterations });
        }
        for (const it of items) {
          const [item] = (await tx`insert into project_items (project_id, issue_id, creator_id) values (${p!.id}, ${it.issueId}, ${owner.id}) on conflict do nothing returning id`) as { id: number }[];
          if (!item) continue;
          for (const [name, v] of Object.entries(it.values)) {
            const f = made.find((x) => x.name === name)!;
            const value = f.options ? f.options.find((o) => o.name === v)?.id : f.iterations ? f.iterations.find((x) => x.title === v)?.id : v;
            if (value === undefined || value === null) continue;
            await tx`insert into project_item_values (item_id, field_id, value) values (${item.id}, ${f.id}, ${JSON.stringify(value)}::text::jsonb)`;
          }
        }
        return null;
      });
    });
  }

  for (const [i, raw] of (records.attestations ?? []).entries()) {
    await guarded('attestations', i, async () => {
      const r = (raw ?? {}) as Rec;
      const [o, n] = typeof r.repository === 'string' ? r.repository.split('/') : [];
      const [repo] = await db.q<{ id: number }>`select r.id from repos r join users u on u.id = r.owner_id where lower(u.login) = lower(${o ?? ''}) and lower(r.name) = lower(${n ?? ''})`;
      if (!repo) return `unknown repository ${String(r.repository)}`;
      if (typeof r.subject_digest !== 'string' || !DIGEST.test(r.subject_digest)) return 'subject_digest must be sha256:<64 hex digits> (or sha512:<128>)';
      const predicateType = r.predicate_type === undefined ? PREDICATES.provenance! : typeof r.predicate_type === 'string' ? (PREDICATES[r.predicate_type] ?? r.predicate_type) : null;
      if (!predicateType || !/^[a-z]+:\/\//.test(predicateType)) return 'predicate_type must be provenance, sbom, release or a URI';
      const [algo, hex] = r.subject_digest.split(':') as [string, string];
      const statement = { _type: 'https://in-toto.io/Statement/v1', subject: [{ name: typeof r.subject_name === 'string' ? r.subject_name : 'artifact', digest: { [algo]: hex } }], predicateType, predicate: {} };
      const bundle = {
        mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
        verificationMaterial: { publicKey: { hint: randomString(32, '0123456789abcdef') }, tlogEntries: [] },
        dsseEnvelope: { payload: Buffer.from(JSON.stringify(statement)).toString('base64'), payloadType: 'application/vnd.in-toto+json', signatures: [{ sig: Buffer.from(randomString(64, '0123456789abcdef')).toString('base64') }] },
      };
      await db.q`insert into attestations (repo_id, subject_digest, predicate_type, bundle) values (${repo.id}, ${r.subject_digest}, ${predicateType}, ${JSON.stringify(bundle)}::text::jsonb)`;
      return null;
    });
  }
}
