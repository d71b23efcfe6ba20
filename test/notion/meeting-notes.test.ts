/** AI meeting notes through @notionhq/client: created from an audio upload or an audio block, read as blocks, queried with filters and sorts. */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { APIResponseError, Client } from '@notionhq/client';
import { cloneHarness } from '../support/clones.ts';
import { describeDocker } from '../support/docker.ts';
import { notionShapeErrors } from '../../templates/notion/verify/shapes.ts';

const h = cloneHarness('notion');
let clone: any;
let notion: Client;
let home = '';
const any = (x: unknown) => x as any;

async function bad(fn: () => Promise<unknown>, status: number, code: string, message?: RegExp): Promise<void> {
  try {
    await fn();
  } catch (e) {
    if (!(e instanceof APIResponseError)) throw e;
    expect([e.status, e.code as string]).toEqual([status, code]);
    if (message) expect(e.message).toMatch(message);
    return;
  }
  throw new Error('expected a Notion API error');
}

async function upload(name: string, type: string): Promise<string> {
  const up: any = await notion.fileUploads.create({ filename: name, content_type: type });
  await notion.fileUploads.send({ file_upload_id: up.id, file: { filename: name, data: new Blob(['RIFF....WAVEfmt '], { type }) } });
  return up.id;
}

describeDocker('notion meeting notes', () => {
  beforeAll(async () => {
    clone = await h.spin('notion', ['--fixture', 'acme']);
    notion = new Client({ auth: clone.tokens.botToken, baseUrl: clone.endpoints.api, maxRetries: 0 } as never);
    home = (await notion.search({ query: 'Acme Home', filter: { property: 'object', value: 'page' } })).results[0]!.id;
  }, 240_000);
  afterAll(() => h.cleanup(), 60_000);

  test('create from an audio upload in a page and from an audio block; read back as blocks', async () => {
    const created: any = await notion.blocks.meetingNotes.create({ title: 'Weekly sync', language: 'en', source: { type: 'file_upload', file_upload_id: await upload('sync.wav', 'audio/wav') }, parent: { type: 'page_id', page_id: home } });
    expect(notionShapeErrors('POST /v1/blocks/meeting_notes', created)).toEqual([]);
    expect(created).toMatchObject({ object: 'block', type: 'meeting_notes', meeting_notes: { status: 'transcription_in_progress' } });
    expect(created.meeting_notes.title[0].plain_text).toBe('Weekly sync');
    const read: any = await notion.blocks.retrieve({ block_id: created.id });
    expect(read).toMatchObject({ type: 'meeting_notes', parent: { type: 'page_id', page_id: home } });
    expect(Object.keys(read.meeting_notes).sort()).toEqual(['recording', 'status', 'title']);
    const kids = await notion.blocks.children.list({ block_id: home, page_size: 100 });
    expect(kids.results.some((b) => b.id === created.id)).toBe(true);

    // From an existing audio block: the note goes right after it.
    const appended: any = await notion.blocks.children.append({ block_id: home, children: [{ audio: { type: 'file_upload', file_upload: { id: await upload('call.mp3', 'audio/mpeg') } } } as never, { paragraph: { rich_text: [{ text: { content: 'after the call' } }] } }] });
    const audio = appended.results[0].id;
    const fromBlock: any = await notion.blocks.meetingNotes.create({ title: 'Client call', source: { type: 'block', block_id: audio } });
    const order = (await notion.blocks.children.list({ block_id: home, page_size: 100 })).results.map((b) => b.id);
    expect(order.indexOf(fromBlock.id)).toBe(order.indexOf(audio) + 1);
  });

  test('create is validated: source, parent, upload state and type, block type, language', async () => {
    const text = await upload('notes.txt', 'text/plain');
    await bad(() => notion.blocks.meetingNotes.create({ source: { type: 'file_upload', file_upload_id: text }, parent: { type: 'page_id', page_id: home } }), 400, 'validation_error', /audio or video/);
    const pending: any = await notion.fileUploads.create({ filename: 'later.wav', content_type: 'audio/wav' });
    await bad(() => notion.blocks.meetingNotes.create({ source: { type: 'file_upload', file_upload_id: pending.id }, parent: { type: 'page_id', page_id: home } }), 400, 'validation_error', /pending/);
    const wav = await upload('x.wav', 'audio/wav');
    await bad(() => notion.blocks.meetingNotes.create({ source: { type: 'file_upload', file_upload_id: wav } } as never), 400, 'validation_error', /parent/);
    const para: any = await notion.blocks.children.append({ block_id: home, children: [{ paragraph: { rich_text: [{ text: { content: 'not audio' } }] } }] });
    await bad(() => notion.blocks.meetingNotes.create({ source: { type: 'block', block_id: para.results[0].id } }), 400, 'validation_error', /paragraph/);
    await bad(() => notion.blocks.meetingNotes.create({ source: { type: 'url' } } as never), 400, 'validation_error');
    await bad(() => notion.blocks.meetingNotes.create({ language: 'xx', source: { type: 'file_upload', file_upload_id: wav }, parent: { type: 'page_id', page_id: home } } as never), 400, 'validation_error', /language/);
    await bad(() => notion.blocks.meetingNotes.create({ source: { type: 'block', block_id: crypto.randomUUID() } }), 404, 'object_not_found');
  });

  test('query: the caller\'s notes, newest first, filtered by title and dates, sorted, limited with has_more', async () => {
    for (const title of ['Retro A', 'Retro B', 'Planning']) {
      await notion.blocks.meetingNotes.create({ title, source: { type: 'file_upload', file_upload_id: await upload(`${title}.wav`, 'audio/wav') }, parent: { type: 'page_id', page_id: home } });
    }
    const all: any = await notion.blocks.meetingNotes.query({});
    expect(notionShapeErrors('POST /v1/blocks/meeting_notes/query', all)).toEqual([]);
    const titles = (r: any) => r.results.map((b: any) => b.meeting_notes.title[0]?.plain_text);
    expect(titles(all).slice(0, 3)).toEqual(['Planning', 'Retro B', 'Retro A']);
    const retros: any = await notion.blocks.meetingNotes.query({ filter: { operator: 'and', filters: [{ property: 'title', filter: { operator: 'string_starts_with', value: { type: 'exact', value: 'retro' } } }] }, sort: [{ property: 'title', direction: 'ascending' }] });
    expect(titles(retros)).toEqual(['Retro A', 'Retro B']);
    const today: any = await notion.blocks.meetingNotes.query({ filter: { operator: 'and', filters: [{ property: 'created_time', filter: { operator: 'date_is', value: { type: 'relative', value: 'today' } } }, { property: 'title', filter: { operator: 'string_contains', value: { type: 'exact', value: 'planning' } } }] } });
    expect(titles(today)).toEqual(['Planning']);
    const future: any = await notion.blocks.meetingNotes.query({ filter: { operator: 'or', filters: [{ property: 'created_time', filter: { operator: 'date_is_after', value: { type: 'relative', value: 'tomorrow' } } }] } });
    expect(future.results).toEqual([]);
    const mine: any = await notion.blocks.meetingNotes.query({ filter: { operator: 'and', filters: [{ property: 'attendees', filter: { operator: 'person_contains', value: { type: 'exact', value: { table: 'notion_user', id: clone.tokens.botUserId } } } }] } });
    expect(mine.results.length).toBe(all.results.length);
    const one: any = await notion.blocks.meetingNotes.query({ limit: 1 });
    expect([one.results.length, one.has_more]).toEqual([1, true]);
    // The admin person attends none of the integration's notes.
    const admin = new Client({ auth: clone.tokens.userToken, baseUrl: clone.endpoints.api, maxRetries: 0 } as never);
    expect(any(await admin.blocks.meetingNotes.query({})).results).toEqual([]);

    await bad(() => notion.blocks.meetingNotes.query({ limit: 51 }), 400, 'validation_error', /limit/);
    await bad(() => notion.blocks.meetingNotes.query({ filter: { operator: 'and', filters: [{ property: 'status', filter: { operator: 'is_empty' } }] } } as never), 400, 'validation_error', /property/);
    await bad(() => notion.blocks.meetingNotes.query({ filter: { operator: 'and', filters: [{ property: 'title', filter: { operator: 'date_is' } }] } } as never), 400, 'validation_error', /operator/);
    await bad(() => notion.blocks.meetingNotes.query({ sort: [{ property: 'status', direction: 'ascending' }] } as never), 400, 'validation_error');
  });
});
