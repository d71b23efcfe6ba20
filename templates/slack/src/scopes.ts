/**
 * OAuth scopes: what each default token is granted, and what each method needs (any one
 * of the listed scopes suffices, as Slack accepts e.g. channels:history or groups:history
 * depending on the conversation). A token lacking them gets missing_scope with
 * needed/provided, exactly like Slack.
 */

export const BOT_SCOPES = [
  'channels:history', 'channels:join', 'channels:manage', 'channels:read', 'chat:write',
  'groups:history', 'groups:read', 'groups:write', 'im:history', 'im:read', 'im:write',
  'mpim:history', 'mpim:read', 'mpim:write', 'pins:read', 'pins:write', 'reactions:read',
  'reactions:write', 'team:read', 'users:read', 'users:read.email', 'users.profile:read', 'links:write',
  'canvases:write', 'conversations.connect:write', 'conversations.connect:manage', 'files:read', 'files:write',
  'remote_files:read', 'remote_files:write', 'remote_files:share', 'team.billing:read', 'team.preferences:read',
  'usergroups:read', 'usergroups:write', 'bookmarks:read', 'bookmarks:write',
];

export const USER_SCOPES = [...BOT_SCOPES, 'channels:write', 'users.profile:write', 'users:write', 'search:read', 'reminders:read', 'reminders:write'];

/**
 * The provisioned admin's token also carries the legacy `admin` scope (what a workspace
 * admin's user token needs for team.accessLogs, team.billableInfo, team.integrationLogs).
 * Tokens minted for people through the admin surface carry USER_SCOPES unless asked for more.
 */
export const ADMIN_USER_SCOPES = [...USER_SCOPES, 'admin'];

const HISTORY = ['channels:history', 'groups:history', 'im:history', 'mpim:history'];
const READ = ['channels:read', 'groups:read', 'im:read', 'mpim:read'];
const MANAGE = ['channels:manage', 'channels:write', 'groups:write', 'im:write', 'mpim:write'];

export const METHOD_SCOPES: Record<string, string[]> = {
  'bots.info': ['users:read'],
  'team.info': ['team:read'],
  'chat.postMessage': ['chat:write'],
  'chat.update': ['chat:write'],
  'chat.delete': ['chat:write'],
  'chat.postEphemeral': ['chat:write'],
  'chat.meMessage': ['chat:write'],
  'chat.scheduleMessage': ['chat:write'],
  'chat.deleteScheduledMessage': ['chat:write'],
  'chat.startStream': ['chat:write'],
  'chat.appendStream': ['chat:write'],
  'chat.stopStream': ['chat:write'],
  'chat.unfurl': ['links:write'],
  'conversations.history': HISTORY,
  'conversations.replies': HISTORY,
  'conversations.info': READ,
  'conversations.list': READ,
  'conversations.members': READ,
  'users.conversations': READ,
  'conversations.create': MANAGE,
  'conversations.archive': MANAGE,
  'conversations.unarchive': MANAGE,
  'conversations.rename': MANAGE,
  'conversations.setTopic': MANAGE,
  'conversations.setPurpose': MANAGE,
  'conversations.invite': MANAGE,
  'conversations.kick': MANAGE,
  'conversations.leave': MANAGE,
  'conversations.mark': MANAGE,
  'conversations.open': MANAGE,
  'conversations.close': MANAGE,
  'conversations.join': ['channels:join', 'channels:write'],
  'users.list': ['users:read'],
  'users.info': ['users:read'],
  'users.getPresence': ['users:read'],
  'users.lookupByEmail': ['users:read.email'],
  'users.discoverableContacts.lookup': ['users:read.email'],
  'users.profile.get': ['users.profile:read'],
  'users.profile.set': ['users.profile:write'],
  'users.deletePhoto': ['users.profile:write'],
  'users.setPresence': ['users:write'],
  'users.identity': ['identity.basic'],
  'reactions.add': ['reactions:write'],
  'reactions.remove': ['reactions:write'],
  'reactions.get': ['reactions:read'],
  'reactions.list': ['reactions:read'],
  'pins.add': ['pins:write'],
  'pins.remove': ['pins:write'],
  'pins.list': ['pins:read'],
  'users.setPhoto': ['users.profile:write'],
  'conversations.canvases.create': ['canvases:write'],
  'conversations.inviteShared': ['conversations.connect:write'],
  'conversations.acceptSharedInvite': ['conversations.connect:write'],
  'conversations.approveSharedInvite': ['conversations.connect:manage'],
  'conversations.declineSharedInvite': ['conversations.connect:manage'],
  'conversations.listConnectInvites': ['conversations.connect:manage'],
  'conversations.externalInvitePermissions.set': ['conversations.connect:manage'],
  'conversations.requestSharedInvite.approve': ['conversations.connect:manage'],
  'conversations.requestSharedInvite.deny': ['conversations.connect:manage'],
  'conversations.requestSharedInvite.list': ['conversations.connect:manage'],
  'files.getUploadURLExternal': ['files:write'],
  'files.completeUploadExternal': ['files:write'],
  'files.delete': ['files:write'],
  'files.info': ['files:read'],
  'files.list': ['files:read'],
  'team.billing.info': ['team.billing:read'],
  'team.preferences.list': ['team.preferences:read'],
  'team.profile.get': ['users.profile:read'],
  'team.billableInfo': ['admin'],
  'team.accessLogs': ['admin'],
  'team.integrationLogs': ['admin'],
  'team.externalTeams.list': ['team:read'],
  'team.externalTeams.disconnect': ['conversations.connect:manage'],
  'files.remote.add': ['remote_files:write'],
  'files.remote.update': ['remote_files:write'],
  'files.remote.remove': ['remote_files:write'],
  'files.remote.info': ['remote_files:read'],
  'files.remote.list': ['remote_files:read'],
  'files.remote.share': ['remote_files:share'],
  'files.sharedPublicURL': ['files:write'],
  'files.revokePublicURL': ['files:write'],
  'files.comments.delete': ['files:write'],
  'usergroups.create': ['usergroups:write'],
  'usergroups.update': ['usergroups:write'],
  'usergroups.disable': ['usergroups:write'],
  'usergroups.enable': ['usergroups:write'],
  'usergroups.users.update': ['usergroups:write'],
  'usergroups.list': ['usergroups:read'],
  'usergroups.users.list': ['usergroups:read'],
  'reminders.add': ['reminders:write'],
  'reminders.complete': ['reminders:write'],
  'reminders.delete': ['reminders:write'],
  'reminders.info': ['reminders:read'],
  'reminders.list': ['reminders:read'],
  'bookmarks.add': ['bookmarks:write'],
  'bookmarks.edit': ['bookmarks:write'],
  'bookmarks.remove': ['bookmarks:write'],
  'bookmarks.list': ['bookmarks:read'],
  'search.messages': ['search:read'],
  'search.files': ['search:read'],
  'search.all': ['search:read'],
};

/** Methods Slack answers with not_allowed_token_type when called with a bot token. */
export const USER_TOKEN_ONLY = new Set(['reminders.add', 'reminders.complete', 'reminders.delete', 'reminders.info', 'reminders.list', 'files.sharedPublicURL', 'team.accessLogs', 'team.billableInfo', 'team.integrationLogs', 'users.profile.set', 'users.deletePhoto', 'users.setPhoto', 'users.setPresence', 'users.identity', 'chat.meMessage', 'search.messages', 'search.files', 'search.all']);
