import { LRUCache } from 'lru-cache';
import taskLists from 'markdown-it-task-lists';
import MarkdownIt from 'markdown-it';
import { findMentions, Mentionable } from './mentions';

/**
 * Ticket descriptions are Markdown written by users. Raw HTML is off (tags come out as text)
 * and markdown-it's validateLink drops javascript:, vbscript:, file: and non-image data: URLs.
 */
const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false });
// "- [ ] item" / "- [x] item" as read-only checkboxes (the plugin writes the only HTML tags: its inputs).
markdown.use(taskLists, { enabled: false, label: true, lineNumber: false });

const defaultLinkOpen =
  markdown.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));

// Links lead away from the tracker: never hand it the opener or our referrer.
markdown.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  tokens[idx].attrSet('rel', 'nofollow noopener noreferrer');
  return defaultLinkOpen(tokens, idx, options, env, self);
};

/**
 * Rendering limits. A table row names its cells, but markdown-it pads every row to the header's
 * column count, so a few bytes of Markdown can ask for thousands of empty cells (an 8,000-column
 * header and a few short rows rendered a 750 KB page on every view). A table wider than
 * MAX_TABLE_COLUMNS, or one that would take the description past MAX_TABLE_CELLS cells in all,
 * is shown as written, in a code block, instead. Both are far beyond what a ticket needs.
 *
 * Everything else grows linearly with the source, at up to about ten times (`[](a)` becomes a
 * 51-character link). MAX_RENDERED_LENGTH caps that: a description whose HTML would be longer is
 * shown as plain preformatted text, at most five times its (already capped) length.
 */
export const MAX_TABLE_COLUMNS = 32;
export const MAX_TABLE_CELLS = 2_000;
export const MAX_RENDERED_LENGTH = 200_000;

type CoreRule = Parameters<typeof markdown.core.ruler.after>[2];

const limitTables: CoreRule = (state) => {
  let lines: string[] | null = null;
  let cellsLeft = MAX_TABLE_CELLS;
  const tokens = state.tokens;
  for (let open = 0; open < tokens.length; open++) {
    if (tokens[open].type !== 'table_open') continue;
    let close = open;
    let columns = 0;
    let cells = 0;
    let inHeader = false;
    for (; tokens[close].type !== 'table_close'; close++) {
      const type = tokens[close].type;
      if (type === 'thead_open') inHeader = true;
      else if (type === 'thead_close') inHeader = false;
      else if (type === 'th_open' || type === 'td_open') {
        cells++;
        if (inHeader) columns++;
      }
    }
    if (columns <= MAX_TABLE_COLUMNS && cells <= cellsLeft) {
      cellsLeft -= cells;
      continue;
    }
    const [first, last] = tokens[open].map ?? [0, 0];
    lines ??= state.src.split('\n');
    const asWritten = new state.Token('code_block', 'code', 0);
    asWritten.block = true;
    asWritten.level = tokens[open].level;
    asWritten.map = [first, last];
    asWritten.content = `${lines.slice(first, last).join('\n')}\n`;
    tokens.splice(open, close - open + 1, asWritten);
  }
};

// Before 'inline', so that the cells of a refused table are never parsed.
markdown.core.ruler.after('block', 'limit_tables', limitTables);

/**
 * Mentions (`common/mentions.ts`) of people in `env.mentionable` become a highlighted name: a
 * `mention` token per match in the text outside links and code, rendered from the person's
 * escaped name. Any other `@handle` stays text.
 */
const highlightMentions: CoreRule = (state) => {
  const mentionable = (state.env as { mentionable?: Mentionable }).mentionable;
  if (!mentionable?.size) return;
  for (const block of state.tokens) {
    if (block.type !== 'inline' || !block.children) continue;
    const children: typeof block.children = [];
    let inLink = 0;
    for (const token of block.children) {
      if (token.type === 'link_open') inLink++;
      else if (token.type === 'link_close') inLink--;
      if (token.type !== 'text' || inLink > 0) {
        children.push(token);
        continue;
      }
      let from = 0;
      for (const mention of findMentions(token.content)) {
        const person = mentionable.get(mention.handle);
        if (!person) continue;
        const before = new state.Token('text', '', 0);
        before.content = token.content.slice(from, mention.index);
        const highlighted = new state.Token('mention', 'span', 0);
        highlighted.content = person.displayName;
        highlighted.meta = { handle: mention.handle };
        children.push(before, highlighted);
        from = mention.index + mention.length;
      }
      if (from === 0) children.push(token);
      else {
        const rest = new state.Token('text', '', 0);
        rest.content = token.content.slice(from);
        children.push(rest);
      }
    }
    block.children = children;
  }
};
markdown.core.ruler.push('mentions', highlightMentions);
markdown.renderer.rules.mention = (tokens, idx) => {
  const escape = (text: string) => markdown.utils.escapeHtml(text);
  const token = tokens[idx];
  const handle = (token.meta as { handle: string }).handle;
  return `<span class="mention" title="@${escape(handle)}">@${escape(token.content)}</span>`;
};

const escapeText = (text: string) =>
  text.replace(/[&<>]/g, (char) => (char === '&' ? '&amp;' : char === '<' ? '&lt;' : '&gt;'));

/** `source` as HTML; mentions of the `mentionable` people are highlighted. */
export function renderMarkdown(source: string | null | undefined, mentionable?: Mentionable): string {
  const html = markdown.render(source ?? '', { mentionable });
  if (html.length <= MAX_RENDERED_LENGTH) return html;
  return `<pre class="markdown-as-text">${escapeText(source ?? '')}</pre>\n`;
}

/** Up to about 2 MB of rendered Markdown, by source and the people it mentions (see renderMarkdownKept). */
const rendered = new LRUCache<string, string>({
  maxSize: 1_000_000,
  sizeCalculation: (html, key) => key.length + html.length + 1,
});

/**
 * renderMarkdown, kept: a project's description shows on every view of its board, a ticket's on
 * every view of its details, and rendering them cost more than the rest of those pages. A text
 * that may hold a mention (an `@`, or an `&` that could be `&#64;`) is kept together with the
 * people `mentionable` names, so that a renamed or removed person renders anew.
 */
export function renderMarkdownKept(source: string | null | undefined, mentionable?: Mentionable): string {
  const text = source ?? '';
  let key = text;
  if (mentionable?.size && /[@&]/.test(text))
    for (const [handle, person] of mentionable) key += `\0${handle}\0${person.displayName}`;
  let html = rendered.get(key);
  if (html === undefined) rendered.set(key, (html = renderMarkdown(text, mentionable)));
  return html;
}

/** The words of some Markdown without its markup, on one line (excerpts on cards). */
export function markdownToText(source: string | null | undefined): string {
  const words: string[] = [];
  for (const block of markdown.parse(source ?? '', {})) {
    if (block.type !== 'inline') continue;
    for (const token of block.children ?? [])
      if (token.type === 'text' || token.type === 'code_inline') words.push(token.content);
      else if (token.type === 'softbreak' || token.type === 'hardbreak') words.push(' ');
    words.push(' ');
  }
  return words.join('').replace(/\s+/g, ' ').trim();
}
