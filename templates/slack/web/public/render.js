// Pure helpers of the web view (no DOM), so they can be tested outside a browser.

export function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

/**
 * Slack mrkdwn to HTML: entities first (<@U…>, <#C…|name>, <!here>, <url|label>), then
 * ```pre```, `code`, *bold*, _italic_, ~strike~, and newlines. Everything else is escaped.
 */
export function renderText(text, names = {}) {
  const parts = [];
  let rest = String(text ?? '');
  // Pull out <...> entities first so their contents are never treated as markup.
  rest = rest.replace(/<([^>\s][^>]*)>/g, (_, inner) => {
    const [target, label] = inner.split('|');
    let html;
    if (target.startsWith('@')) html = `<span class="mention">@${escapeHtml(label || names[target.slice(1)] || target.slice(1))}</span>`;
    else if (target.startsWith('#')) html = `<span class="mention">#${escapeHtml(label || names[target.slice(1)] || target.slice(1))}</span>`;
    else if (target.startsWith('!')) html = `<span class="mention">@${escapeHtml(label || target.slice(1).split('^')[0])}</span>`;
    else if (/^(https?:|mailto:)/.test(target)) html = `<a href="${escapeHtml(target)}" target="_blank" rel="noreferrer">${escapeHtml(label || target)}</a>`;
    else html = escapeHtml(`<${inner}>`);
    parts.push(html);
    return `\u0000${parts.length - 1}\u0000`;
  });
  let html = escapeHtml(rest)
    .replace(/```([\s\S]*?)```/g, (_, code) => `<pre>${code.replace(/^\n/, '')}</pre>`)
    .replace(/`([^`\n]+)`/g, '<code>$1</code>')
    .replace(/(^|[\s(])\*([^*\n]+)\*(?=$|[\s).,!?:;])/g, '$1<b>$2</b>')
    .replace(/(^|[\s(])_([^_\n]+)_(?=$|[\s).,!?:;])/g, '$1<i>$2</i>')
    .replace(/(^|[\s(])~([^~\n]+)~(?=$|[\s).,!?:;])/g, '$1<s>$2</s>')
    .replace(/\n/g, '<br>');
  html = html.replace(/\u0000(\d+)\u0000/g, (_, i) => parts[Number(i)]);
  return html;
}

/** "14:05" for today, "Nov 24 14:05" otherwise, from a Slack ts ("1732543500.000200"). */
export function formatTs(ts, now = new Date()) {
  const d = new Date(Math.floor(Number(ts) * 1000));
  const hm = `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
  if (d.toDateString() === now.toDateString()) return hm;
  return `${d.toLocaleString('en-US', { month: 'short' })} ${d.getDate()} ${hm}`;
}

/** How a conversation is named in the sidebar: #name, a person for an im, people for an mpim. */
export function conversationLabel(c, users = {}, me = '') {
  if (c.is_im) return users[c.user]?.name ?? c.user;
  if (c.is_mpim) {
    const others = (c.members ?? []).filter((u) => u !== me).map((u) => users[u]?.name ?? u);
    return others.length ? others.join(', ') : c.name;
  }
  return c.name;
}

const EMOJI = {
  '+1': '👍', thumbsup: '👍', '-1': '👎', thumbsdown: '👎', heart: '❤️', fire: '🔥', white_check_mark: '✅', heavy_check_mark: '✔️',
  eyes: '👀', tada: '🎉', smile: '😄', joy: '😂', wave: '👋', rocket: '🚀', pray: '🙏', clap: '👏', raised_hands: '🙌', 100: '💯',
  thinking_face: '🤔', warning: '⚠️', x: '❌', bug: '🐛', memo: '📝', ok_hand: '👌', star: '⭐', sparkles: '✨', slightly_smiling_face: '🙂',
};

/** A reaction's name as its emoji where we know it, else as Slack writes it (:name:). */
export function emoji(name) {
  const base = String(name).split('::')[0];
  return EMOJI[base] ?? `:${base}:`;
}
