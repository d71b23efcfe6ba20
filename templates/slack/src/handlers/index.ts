import type { Handler } from '../types.ts';
import { bookmarkMethods } from './bookmarks.ts';
import { canvasMethods } from './canvases.ts';
import { chatMethods } from './chat.ts';
import { connectMethods } from './connect.ts';
import { filesMethods } from './files.ts';
import { remoteFileMethods } from './files-remote.ts';
import { conversationsMethods } from './conversations.ts';
import { reactionsPinsMethods } from './reactions-pins.ts';
import { reminderMethods } from './reminders.ts';
import { searchMethods } from './search.ts';
import { teamMethods } from './team.ts';
import { usergroupMethods } from './usergroups.ts';
import { usersMethods } from './users.ts';
import { workspaceMethods } from './workspace.ts';

/** Every Web API method the clone emulates, by Slack's method name. */
export const METHODS: Record<string, Handler> = {
  ...workspaceMethods,
  ...teamMethods,
  ...chatMethods,
  ...conversationsMethods,
  ...connectMethods,
  ...canvasMethods,
  ...usersMethods,
  ...reactionsPinsMethods,
  ...filesMethods,
  ...remoteFileMethods,
  ...searchMethods,
  ...usergroupMethods,
  ...reminderMethods,
  ...bookmarkMethods,
};
