/**
 * Generates fixtures/acme.sql: the Notion workspace of "Acme": seven people, a home page,
 * a Projects database (8 projects) and a Tasks database (40 tasks) joined by a dual
 * relation, with statuses, assignees, priorities, tags and dates, plus three wiki pages
 * with block content and comments. Deterministic: a seeded PRNG, fixed UUIDs, timestamps
 * and insertion order, so the same script always writes the same bytes.
 *
 *   bun templates/notion/scripts/gen-fixture.ts [out.sql]
 */
import { join } from 'node:path';
import { prng } from '../../_kit/prng.ts';
import { ADMIN_ID, BOT_ID } from '../src/provision.ts';
import { shortId, textRt, type Json } from '../src/util.ts';

const { pick, int, rand } = prng(0x4e07104);
const BASE = Date.UTC(2025, 1, 3, 9, 0, 0);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();
const counters: Record<string, number> = {};
/** Fixed UUIDs by kind: a1 users, b1 pages, c1 databases, d1 data sources, e1 blocks, f1 comments, 0e options. */
const uid = (kind: string) => {
  counters[kind] = (counters[kind] ?? 0) + 1;
  return `${kind}000000-0000-4000-8000-${String(counters[kind]).padStart(12, '0')}`;
};
const esc = (s: string) => s.replace(/'/g, "''");
const j = (v: unknown) => `'${esc(JSON.stringify(v))}'::jsonb`;
const out: string[] = [];
let records = 0;

// ---- people
const PEOPLE = [
  ['Ada Lovelace', 'ada@acme.test'], ['Grace Hopper', 'grace@acme.test'], ['Alan Turing', 'alan@acme.test'], ['Margaret Hamilton', 'margaret@acme.test'],
  ['Linus Torvalds', 'linus@acme.test'], ['Barbara Liskov', 'barbara@acme.test'],
] as const;
const people = PEOPLE.map(([name, email]) => ({ id: uid('a1'), name, email }));
for (const p of people) out.push(`insert into users (id, type, name, avatar_url, email) values ('${p.id}', 'person', '${esc(p.name)}', null, '${p.email}');`);
records += people.length;
const everyone = [ADMIN_ID, ...people.map((p) => p.id)];

// ---- home page
const home = uid('b1');
const at0 = iso(BASE);
out.push(`insert into pages (id, parent, data_source_id, "values", icon, created_time, last_edited_time, created_by, last_edited_by) values ('${home}', ${j({ type: 'workspace', workspace: true })}, null, ${j({ title: textRt('Acme Home') })}, ${j({ type: 'emoji', emoji: '🏠' })}, '${at0}', '${at0}', '${ADMIN_ID}', '${ADMIN_ID}');`);
records++;
// The admin shared Acme Home with the integration ("Add connections"): it sees the home page and everything under it.
out.push(`insert into shares (id, object, shared_time) values ('${home}', 'page', '${at0}');`);
let pos = 0;
const blockRow = (id: string, parentType: string, parentId: string, p: number, type: string, content: Json, at: string, by = ADMIN_ID) =>
  `insert into blocks (id, parent_type, parent_id, pos, type, content, created_time, last_edited_time, created_by, last_edited_by) values ('${id}', '${parentType}', '${parentId}', ${p}, '${type}', ${j(content)}, '${at}', '${at}', '${by}', '${by}');`;

// ---- schemas
const opt = (name: string, color: string) => ({ id: uid('0e'), name, color, description: null });
const status = () => {
  const o = [opt('Not started', 'default'), opt('In progress', 'blue'), opt('Done', 'green')];
  return { options: o, groups: [
    { id: uid('0e'), name: 'To-do', color: 'gray', option_ids: [o[0]!.id] },
    { id: uid('0e'), name: 'In progress', color: 'blue', option_ids: [o[1]!.id] },
    { id: uid('0e'), name: 'Complete', color: 'green', option_ids: [o[2]!.id] },
  ] };
};
const prop = (name: string, type: string, config: Json = {}) => ({ id: type === 'title' ? 'title' : shortId(rand), name, type, description: null, [type]: config });
const projectsDb = uid('c1');
const tasksDb = uid('c1');
const projectsDs = uid('d1');
const tasksDs = uid('d1');
const pStatus = status();
const tStatus = status();
const priority = { options: [opt('High', 'red'), opt('Medium', 'yellow'), opt('Low', 'gray')] };
const tags = { options: [opt('Frontend', 'blue'), opt('Backend', 'purple'), opt('Infra', 'orange'), opt('Docs', 'green'), opt('Bug', 'red')] };
const projectProps = [prop('Name', 'title'), prop('Status', 'status', pStatus), prop('Owner', 'people'), prop('Start', 'date'), prop('Budget', 'number', { format: 'dollar' })];
const taskProps = [
  prop('Name', 'title'), prop('Status', 'status', tStatus), prop('Assignee', 'people'), prop('Due', 'date'), prop('Priority', 'select', priority), prop('Tags', 'multi_select', tags),
  prop('Estimate', 'number', { format: 'number' }), prop('Blocked', 'checkbox'), prop('Notes', 'rich_text'), prop('Link', 'url'), prop('Created', 'created_time'), prop('Updated', 'last_edited_time'), prop('ID', 'unique_id', { prefix: 'TASK' }),
];
const tasksRel = prop('Tasks', 'relation');
const projectRel = prop('Project', 'relation');
tasksRel.relation = { data_source_id: tasksDs, database_id: tasksDb, type: 'dual_property', dual_property: { synced_property_id: projectRel.id, synced_property_name: 'Project' } };
projectRel.relation = { data_source_id: projectsDs, database_id: projectsDb, type: 'dual_property', dual_property: { synced_property_id: tasksRel.id, synced_property_name: 'Tasks' } };
projectProps.push(tasksRel);
taskProps.splice(5, 0, projectRel);
const byName = (props: Json[], n: string) => props.find((p) => p.name === n)!.id as string;

for (const [db, ds, title, emoji, props] of [[projectsDb, projectsDs, 'Projects', '🚀', projectProps], [tasksDb, tasksDs, 'Tasks', '✅', taskProps]] as const) {
  const at = iso(BASE + HOUR);
  out.push(`insert into databases (id, parent, title, description, icon, created_time, last_edited_time, created_by, last_edited_by) values ('${db}', ${j({ type: 'page_id', page_id: home })}, ${j(textRt(title))}, ${j(textRt(`All ${title.toLowerCase()} of Acme`))}, ${j({ type: 'emoji', emoji })}, '${at}', '${at}', '${ADMIN_ID}', '${ADMIN_ID}');`);
  out.push(`insert into data_sources (id, database_id, title, properties, next_unique, created_time, last_edited_time, created_by, last_edited_by) values ('${ds}', '${db}', ${j(textRt(title))}, ${j(props)}, ${title === 'Tasks' ? 41 : 1}, '${at}', '${at}', '${ADMIN_ID}', '${ADMIN_ID}');`);
  out.push(blockRow(db, 'page_id', home, ++pos, 'child_database', {}, at));
  records += 2;
}

// ---- projects and tasks
const PROJECTS = ['Website relaunch', 'Mobile app v2', 'Billing migration', 'Data warehouse', 'Security audit', 'Onboarding revamp', 'API platform', 'Customer portal'];
const sel = (o: Json) => ({ id: o.id, name: o.name, color: o.color });
const projects = PROJECTS.map((name, i) => ({ id: uid('b1'), name, i, values: {} as Json, created: BASE + DAY + i * HOUR }));
const VERBS = ['Design', 'Implement', 'Review', 'Test', 'Document', 'Deploy', 'Refactor', 'Plan'];
const NOUNS = ['login flow', 'search page', 'invoice export', 'CI pipeline', 'error tracking', 'user settings', 'rate limiter', 'landing page', 'webhooks', 'audit log'];
const tasks: Array<{ id: string; values: Json; created: number; project: number }> = [];
for (let i = 0; i < 40; i++) {
  const project = i % projects.length;
  const st = tStatus.options[i % 5 === 0 ? 2 : i % 3 === 0 ? 1 : (i % 4 === 1 ? 2 : 0)]!;
  const values: Json = {
    [byName(taskProps, 'Name')]: textRt(`${VERBS[i % VERBS.length]} ${NOUNS[(i * 3) % NOUNS.length]}`),
    [byName(taskProps, 'Status')]: sel(st),
    [byName(taskProps, 'Assignee')]: i % 7 === 6 ? [] : [pick(everyone)],
    [byName(taskProps, 'Due')]: i % 6 === 5 ? null : { start: iso(Date.UTC(2025, 2 + (i % 4), 1 + ((i * 5) % 27))).slice(0, 10), end: null, time_zone: null },
    [byName(taskProps, 'Priority')]: sel(priority.options[int(0, 2)]!),
    [byName(taskProps, 'Tags')]: [...new Set([pick(tags.options), ...(i % 3 === 0 ? [pick(tags.options)] : [])])].map(sel),
    [byName(taskProps, 'Estimate')]: i % 8 === 7 ? null : int(1, 13),
    [byName(taskProps, 'Blocked')]: i % 9 === 4,
    [byName(taskProps, 'Notes')]: i % 4 === 0 ? textRt(`Follow-up for ${PROJECTS[project]}`) : [],
    [byName(taskProps, 'Link')]: i % 5 === 2 ? `https://tracker.acme.test/T-${i + 1}` : null,
    [projectRel.id]: [projects[project]!.id],
    __unique: i + 1,
  };
  tasks.push({ id: uid('b1'), values, created: BASE + 2 * DAY + i * HOUR, project });
}
for (const p of projects) {
  p.values = {
    [byName(projectProps, 'Name')]: textRt(p.name),
    [byName(projectProps, 'Status')]: sel(pStatus.options[p.i % 3]!),
    [byName(projectProps, 'Owner')]: [people[p.i % people.length]!.id],
    [byName(projectProps, 'Start')]: { start: iso(Date.UTC(2025, 0, 6 + p.i * 7)).slice(0, 10), end: null, time_zone: null },
    [byName(projectProps, 'Budget')]: (p.i + 1) * 12500,
    [tasksRel.id]: tasks.filter((t) => t.project === p.i).map((t) => t.id),
  };
}
const pageRow = (id: string, ds: string, db: string, values: Json, created: number, by: string) =>
  `insert into pages (id, parent, data_source_id, "values", created_time, last_edited_time, created_by, last_edited_by) values ('${id}', ${j({ type: 'data_source_id', data_source_id: ds, database_id: db })}, '${ds}', ${j(values)}, '${iso(created)}', '${iso(created + HOUR / 2)}', '${by}', '${by}');`;
for (const p of projects) out.push(pageRow(p.id, projectsDs, projectsDb, p.values, p.created, ADMIN_ID));
for (const [i, t] of tasks.entries()) out.push(pageRow(t.id, tasksDs, tasksDb, t.values, t.created, i % 2 ? BOT_ID : ADMIN_ID));
records += projects.length + tasks.length;

// ---- wiki pages with blocks and comments
const WIKI: Array<[string, Array<[string, Json]>]> = [
  ['Engineering handbook', [
    ['heading_1', { rich_text: textRt('Engineering handbook'), is_toggleable: false, color: 'default' }],
    ['paragraph', { rich_text: textRt('How we build, review and ship software at Acme.'), color: 'default', icon: null }],
    ['heading_2', { rich_text: textRt('Code review'), is_toggleable: false, color: 'default' }],
    ['bulleted_list_item', { rich_text: textRt('Every change needs one approving review.'), color: 'default' }],
    ['bulleted_list_item', { rich_text: textRt('Keep pull requests under 400 lines.'), color: 'default' }],
    ['code', { rich_text: textRt('git switch -c feature/my-change'), caption: [], language: 'shell' }],
    ['callout', { rich_text: textRt('Deploys freeze on Fridays after 3pm.'), icon: { type: 'emoji', emoji: '⚠️' }, color: 'yellow_background' }],
  ]],
  ['Onboarding checklist', [
    ['heading_2', { rich_text: textRt('First week'), is_toggleable: false, color: 'default' }],
    ['to_do', { rich_text: textRt('Get laptop and accounts'), checked: true, color: 'default' }],
    ['to_do', { rich_text: textRt('Meet your onboarding buddy'), checked: false, color: 'default' }],
    ['to_do', { rich_text: textRt('Ship a first small change'), checked: false, color: 'default' }],
    ['divider', {}],
    ['toggle', { rich_text: textRt('Who to ask'), color: 'default' }],
  ]],
  ['Meeting notes', [
    ['heading_3', { rich_text: textRt('Weekly sync'), is_toggleable: false, color: 'default' }],
    ['numbered_list_item', { rich_text: textRt('Review the roadmap'), color: 'default' }],
    ['numbered_list_item', { rich_text: textRt('Agree on owners'), color: 'default' }],
    ['quote', { rich_text: textRt('Make it work, make it right, make it fast.'), color: 'default' }],
  ]],
];
let blocks = 0;
let commentCount = 0;
for (const [w, [title, content]] of WIKI.entries()) {
  const id = uid('b1');
  const at = iso(BASE + 3 * DAY + w * HOUR);
  out.push(`insert into pages (id, parent, data_source_id, "values", created_time, last_edited_time, created_by, last_edited_by) values ('${id}', ${j({ type: 'page_id', page_id: home })}, null, ${j({ title: textRt(title) })}, '${at}', '${at}', '${ADMIN_ID}', '${ADMIN_ID}');`);
  out.push(blockRow(id, 'page_id', home, ++pos, 'child_page', {}, at));
  records++;
  let first = '';
  for (const [k, [type, c]] of content.entries()) {
    const bid = uid('e1');
    first ||= bid;
    out.push(blockRow(bid, 'page_id', id, k + 1, type, c, at));
    blocks++;
    if (type === 'toggle') {
      out.push(blockRow(uid('e1'), 'block_id', bid, 1, 'paragraph', { rich_text: textRt('Your manager, then #help-engineering.'), color: 'default', icon: null }, at));
      blocks++;
    }
  }
  const discussion = uid('f1');
  const comments: Array<[string, string, string]> = [
    ['page_id', id, `Thanks for writing up the ${title.toLowerCase()}!`],
    ['page_id', id, 'Linked this from the team channel.'],
    ['block_id', first, 'Should we add a section on this?'],
  ];
  for (const [k, [pt, pid, text]] of comments.entries()) {
    const by = k === 1 ? BOT_ID : people[(w + k) % people.length]!.id;
    const disc = pt === 'page_id' ? discussion : uid('f1');
    out.push(`insert into comments (id, parent_type, parent_id, discussion_id, rich_text, created_time, created_by) values ('${uid('f1')}', '${pt}', '${pid}', '${disc}', ${j(textRt(text))}, '${iso(BASE + 4 * DAY + (w * 3 + k) * HOUR)}', '${by}');`);
    commentCount++;
  }
}
records += blocks + commentCount;

const header = [
  `-- asym-fixture: acme records=${records} users=${people.length} projects=${projects.length} tasks=${tasks.length} blocks=${blocks} comments=${commentCount}`,
  '-- Acme workspace: a home page (shared with the integration), Projects and Tasks databases joined by a dual relation, wiki pages with blocks and comments.',
  '-- Generated by templates/notion/scripts/gen-fixture.ts; do not edit by hand.',
];
const file = process.argv[2] ?? join(import.meta.dir, '..', 'fixtures', 'acme.sql');
await Bun.write(file, `${[...header, ...out].join('\n')}\n`);
process.stdout.write(`${file}: ${records} records\n`);
