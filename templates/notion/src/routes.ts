import * as blocks from './handlers/blocks.ts';
import * as comments from './handlers/comments.ts';
import type { Handler } from './handlers/common.ts';
import * as customEmojis from './handlers/custom-emojis.ts';
import * as dataSources from './handlers/data-sources.ts';
import * as databases from './handlers/databases.ts';
import * as fileUploads from './handlers/file-uploads.ts';
import * as meetingNotes from './handlers/meeting-notes.ts';
import * as pageMarkdown from './handlers/page-markdown.ts';
import * as pages from './handlers/pages.ts';
import * as search from './handlers/search.ts';
import * as users from './handlers/users.ts';
import * as views from './handlers/views.ts';

/**
 * Every operation of the Notion API this clone emulates (method, path template as in
 * operations.json, handler). scripts/derive-operations.ts marks operations.json from this
 * table and seed-records.ts calls its handlers, so the list and the server cannot drift apart.
 */
export interface Route {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  handler: Handler;
}

const R = (method: Route['method'], path: string, handler: Handler): Route => ({ method, path, handler });

export const ROUTES: Route[] = [
  R('GET', '/v1/users', users.list),
  R('GET', '/v1/users/me', users.me),
  R('GET', '/v1/users/{user_id}', users.get),

  R('POST', '/v1/databases', databases.create),
  R('GET', '/v1/databases/{database_id}', databases.get),
  R('PATCH', '/v1/databases/{database_id}', databases.update),

  R('POST', '/v1/data_sources', dataSources.create),
  R('GET', '/v1/data_sources/{data_source_id}', dataSources.get),
  R('PATCH', '/v1/data_sources/{data_source_id}', dataSources.update),
  R('POST', '/v1/data_sources/{data_source_id}/query', dataSources.query),
  R('GET', '/v1/data_sources/{data_source_id}/templates', dataSources.templates),

  R('POST', '/v1/pages', pages.create),
  R('GET', '/v1/pages/{page_id}', pages.get),
  R('PATCH', '/v1/pages/{page_id}', pages.update),
  R('GET', '/v1/pages/{page_id}/properties/{property_id}', pages.property),
  R('POST', '/v1/pages/{page_id}/move', pages.move),

  R('GET', '/v1/pages/{page_id}/markdown', pageMarkdown.get),
  R('PATCH', '/v1/pages/{page_id}/markdown', pageMarkdown.update),

  R('POST', '/v1/blocks/meeting_notes', meetingNotes.create),
  R('POST', '/v1/blocks/meeting_notes/query', meetingNotes.query),
  R('GET', '/v1/blocks/{block_id}', blocks.get),
  R('PATCH', '/v1/blocks/{block_id}', blocks.update),
  R('DELETE', '/v1/blocks/{block_id}', blocks.remove),
  R('GET', '/v1/blocks/{block_id}/children', blocks.children),
  R('PATCH', '/v1/blocks/{block_id}/children', blocks.append),

  R('POST', '/v1/comments', comments.create),
  R('GET', '/v1/comments', comments.list),
  R('PATCH', '/v1/comments/{comment_id}', comments.update),
  R('DELETE', '/v1/comments/{comment_id}', comments.remove),
  R('GET', '/v1/comments/{comment_id}', comments.get),

  R('POST', '/v1/search', search.search),

  R('POST', '/v1/file_uploads', fileUploads.create),
  R('GET', '/v1/file_uploads', fileUploads.list),
  R('GET', '/v1/file_uploads/{file_upload_id}', fileUploads.get),
  R('POST', '/v1/file_uploads/{file_upload_id}/send', fileUploads.send),
  R('POST', '/v1/file_uploads/{file_upload_id}/complete', fileUploads.complete),

  R('GET', '/v1/custom_emojis', customEmojis.list),

  R('GET', '/v1/views', views.list),
  R('POST', '/v1/views', views.create),
  R('GET', '/v1/views/{view_id}', views.get),
  R('PATCH', '/v1/views/{view_id}', views.update),
  R('DELETE', '/v1/views/{view_id}', views.remove),
  R('POST', '/v1/views/{view_id}/queries', views.createQuery),
  R('GET', '/v1/views/{view_id}/queries/{query_id}', views.queryResults),
  R('DELETE', '/v1/views/{view_id}/queries/{query_id}', views.deleteQuery),
];
