/** The web view's pure helpers (the page imports the same module in the browser). */
import { describe, expect, test } from 'bun:test';
// @ts-expect-error: plain browser JavaScript, no type declarations
import { conversationLabel, emoji, escapeHtml, formatTs, renderText } from '../../templates/slack/web/public/render.js';

describe('slack web view rendering', () => {
  test('escapes everything that is not markup', () => {
    expect(escapeHtml(`<img src=x onerror="a">&'`)).toBe('&lt;img src=x onerror=&quot;a&quot;&gt;&amp;&#39;');
    expect(renderText('<script>alert(1)</script>')).not.toContain('<script>');
    expect(renderText('a < b & c')).toBe('a &lt; b &amp; c');
  });

  test('mentions, channels, special mentions and links', () => {
    const names = { U1: 'avery', C1: 'general' };
    expect(renderText('hi <@U1> in <#C1> and <#C2|random>', names)).toBe('hi <span class="mention">@avery</span> in <span class="mention">#general</span> and <span class="mention">#random</span>');
    expect(renderText('<!here> look')).toBe('<span class="mention">@here</span> look');
    expect(renderText('see <https://example.test/a?b=1&c=2|the docs>')).toBe('see <a href="https://example.test/a?b=1&amp;c=2" target="_blank" rel="noreferrer">the docs</a>');
    expect(renderText('<javascript:alert(1)|x>')).toBe('&lt;javascript:alert(1)|x&gt;');
  });

  test('mrkdwn: bold, italic, strike, code, pre, newlines; markup inside links is left alone', () => {
    expect(renderText('*bold* _it_ ~gone~ `x*y*`')).toBe('<b>bold</b> <i>it</i> <s>gone</s> <code>x*y*</code>');
    expect(renderText('```\nline1\nline2```')).toBe('<pre>line1<br>line2</pre>');
    expect(renderText('a\nb')).toBe('a<br>b');
    expect(renderText('<https://x.test/_a_|_label_>')).toBe('<a href="https://x.test/_a_" target="_blank" rel="noreferrer">_label_</a>');
    expect(renderText('2*3*4')).toBe('2*3*4');
  });

  test('times and conversation labels', () => {
    const now = new Date(2026, 10, 25, 18, 0);
    const today = new Date(2026, 10, 25, 9, 5).getTime() / 1000;
    const before = new Date(2026, 10, 24, 14, 30).getTime() / 1000;
    expect(formatTs(`${today}.000100`, now)).toBe('09:05');
    expect(formatTs(`${before}.000100`, now)).toBe('Nov 24 14:30');
    const users = { U1: { name: 'avery' }, U2: { name: 'blake' }, U3: { name: 'casey' } };
    expect(conversationLabel({ is_im: true, user: 'U2' }, users)).toBe('blake');
    expect(conversationLabel({ is_mpim: true, name: 'mpdm-x', members: ['U1', 'U2', 'U3'] }, users, 'U1')).toBe('blake, casey');
    expect(conversationLabel({ name: 'general' }, users)).toBe('general');
    expect([emoji('thumbsup'), emoji('+1::skin-tone-2'), emoji('party_parrot')]).toEqual(['👍', '👍', ':party_parrot:']);
  });
});
