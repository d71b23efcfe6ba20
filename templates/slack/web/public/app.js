// The web view's page logic: vanilla DOM, every Slack call through the view's /api proxy.
import { conversationLabel, emoji, escapeHtml, formatTs, renderText } from './render.js';

const $ = (id) => document.getElementById(id);
const state = { viewer: new URLSearchParams(location.search).get('as') || 'admin', me: '', users: {}, names: {}, convs: [], open: null, thread: null, cursor: null };

/** A Web API call that answered ok: false (or the view could not act as the person). */
class SlackCallError extends Error {
  constructor(method, code, detail) {
    super(`${method}: ${code}${detail ? ` (${detail})` : ''}`);
    this.name = 'SlackCallError';
    this.code = code;
  }
}

async function slack(method, params = {}) {
  const res = await fetch(`/api/${method}?as=${encodeURIComponent(state.viewer)}`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(params),
  });
  const body = await res.json();
  if (!body.ok) throw new SlackCallError(method, body.error, body.detail);
  return body;
}

function showError(e) {
  $('error').textContent = e ? String(e.message ?? e) : '';
}

async function paged(method, params, key) {
  const out = [];
  let cursor = '';
  do {
    const page = await slack(method, { ...params, limit: 200, ...(cursor ? { cursor } : {}) });
    out.push(...(page[key] ?? []));
    cursor = page.response_metadata?.next_cursor ?? '';
  } while (cursor && out.length < 5000);
  return out;
}

async function loadDirectory() {
  const [auth, team, members] = await Promise.all([slack('auth.test'), slack('team.info'), paged('users.list', {}, 'members')]);
  state.me = auth.user_id;
  $('team').textContent = team.team?.name ?? 'Slack clone';
  state.users = Object.fromEntries(members.map((u) => [u.id, u]));
  for (const u of members) state.names[u.id] = u.profile?.display_name || u.name;
  const viewer = $('viewer');
  const people = members.filter((u) => !u.is_bot && !u.deleted && u.id !== 'USLACKBOT');
  viewer.innerHTML = people.map((u) => `<option value="${escapeHtml(u.name)}"${u.id === state.me ? ' selected' : ''}>${escapeHtml(u.real_name || u.name)}</option>`).join('');
}

async function loadConversations() {
  state.convs = await paged('conversations.list', { types: 'public_channel,private_channel,mpim,im', exclude_archived: false }, 'channels');
  for (const c of state.convs) if (c.name) state.names[c.id] = c.name;
  const li = (c) => `<li data-id="${c.id}" class="${c.id === state.open?.id ? 'active' : ''} ${c.is_archived ? 'archived' : ''}">${c.is_private && !c.is_im && !c.is_mpim ? '🔒' : c.is_im || c.is_mpim ? '●' : '#'} ${escapeHtml(conversationLabel(c, state.users, state.me))}</li>`;
  $('channels').innerHTML = state.convs.filter((c) => !c.is_im && !c.is_mpim).sort((a, b) => a.name.localeCompare(b.name)).map(li).join('');
  $('dms').innerHTML = state.convs.filter((c) => c.is_im || c.is_mpim).map(li).join('');
  if (!state.open) {
    // ?c=<channel id or name> opens that conversation (links to a channel can be shared).
    const wanted = new URLSearchParams(location.search).get('c');
    const first = state.convs.find((c) => wanted && (c.id === wanted || c.name === wanted.replace(/^#/, ''))) ?? state.convs.find((c) => c.is_general) ?? state.convs[0];
    if (first) await openConversation(first.id);
  }
}

function messageHtml(m, inThread) {
  const u = state.users[m.user] ?? {};
  const name = m.username || u.real_name || u.name || m.bot_profile?.name || m.user || 'unknown';
  const color = `#${u.color || '616061'}`;
  const reactions = (m.reactions ?? []).map((r) => `<span class="reaction" title="${escapeHtml(`:${r.name}: ${r.users.map((x) => state.names[x] ?? x).join(', ')}`)}">${escapeHtml(emoji(r.name))} ${r.count}</span>`).join('');
  const replies = !inThread && m.reply_count ? `<div class="replies-link" data-thread="${m.ts}">${m.reply_count} ${m.reply_count === 1 ? 'reply' : 'replies'}</div>` : '';
  return `<div class="msg" data-ts="${m.ts}"><div class="avatar" style="background:${escapeHtml(color)}">${escapeHtml(name.slice(0, 1).toUpperCase())}</div><div>
    <span class="who">${escapeHtml(name)}</span><time>${formatTs(m.ts)}</time>${m.edited ? ' <span class="edited">(edited)</span>' : ''}
    <div class="body">${renderText(m.text, state.names)}</div>${reactions ? `<div class="reactions">${reactions}</div>` : ''}${replies}</div></div>`;
}

async function openConversation(id) {
  state.open = state.convs.find((c) => c.id === id) ?? { id };
  state.cursor = null;
  const url = new URL(location.href);
  url.searchParams.set('c', id);
  history.replaceState(null, '', url);
  closeThread();
  document.querySelectorAll('nav li').forEach((li) => li.classList.toggle('active', li.dataset.id === id));
  const c = state.open;
  $('conv-name').textContent = c.is_im || c.is_mpim ? conversationLabel(c, state.users, state.me) : `${c.is_private ? '🔒 ' : '# '}${c.name}`;
  $('conv-topic').textContent = [c.topic?.value, c.is_archived ? '(archived)' : ''].filter(Boolean).join(' ');
  await refreshMessages(true);
}

async function refreshMessages(scroll) {
  if (!state.open) return;
  const box = $('messages');
  const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
  const h = await slack('conversations.history', { channel: state.open.id, limit: 100 });
  state.cursor = h.has_more ? h.response_metadata?.next_cursor : null;
  const msgs = [...h.messages].reverse();
  box.innerHTML = (state.cursor ? '<div class="older">Older messages are not shown; scroll history with the API</div>' : '')
    + (msgs.length ? msgs.map((m) => messageHtml(m, false)).join('') : '<div class="empty">No messages yet.</div>');
  if (scroll || atBottom) box.scrollTop = box.scrollHeight;
}

async function openThread(ts) {
  state.thread = ts;
  $('thread').hidden = false;
  await refreshThread();
}

function closeThread() {
  state.thread = null;
  $('thread').hidden = true;
}

async function refreshThread() {
  if (!state.thread || !state.open) return;
  const r = await slack('conversations.replies', { channel: state.open.id, ts: state.thread, limit: 200 });
  $('replies').innerHTML = r.messages.map((m) => messageHtml(m, true)).join('');
}

async function post(textarea, threadTs) {
  const text = textarea.value.trim();
  if (!text || !state.open) return;
  try {
    await slack('chat.postMessage', { channel: state.open.id, text, ...(threadTs ? { thread_ts: threadTs } : {}) });
    textarea.value = '';
    showError(null);
    await Promise.all([refreshMessages(true), refreshThread()]);
  } catch (e) {
    showError(e);
  }
}

function wire() {
  $('channels').onclick = $('dms').onclick = (e) => {
    const li = e.target.closest('li');
    if (li) openConversation(li.dataset.id).catch(showError);
  };
  $('messages').onclick = (e) => {
    const link = e.target.closest('[data-thread]');
    if (link) openThread(link.dataset.thread).catch(showError);
  };
  $('close-thread').onclick = closeThread;
  $('viewer').onchange = (e) => {
    const url = new URL(location.href);
    url.searchParams.set('as', e.target.value);
    location.href = url.toString(); // keeps ?c=, so the same conversation opens as the new viewer
  };
  $('composer').onsubmit = (e) => {
    e.preventDefault();
    post($('text'));
  };
  $('reply-composer').onsubmit = (e) => {
    e.preventDefault();
    post($('reply-text'), state.thread);
  };
  for (const id of ['text', 'reply-text']) {
    $(id).onkeydown = (e) => {
      if (e.key === 'Enter' && !e.shiftKey) {
        e.preventDefault();
        e.target.form.requestSubmit();
      }
    };
  }
}

async function main() {
  wire();
  try {
    await loadDirectory();
    await loadConversations();
  } catch (e) {
    showError(e);
  }
  // What the agent does shows up without a reload.
  setInterval(() => Promise.all([refreshMessages(false), refreshThread()]).then(() => showError(null), showError), 2000);
  setInterval(() => loadConversations().catch(showError), 10000);
}

main();
