import MarkdownIt from 'markdown-it';

/**
 * Ticket descriptions are Markdown written by users. Raw HTML is off (tags come out as text)
 * and markdown-it's validateLink drops javascript:, vbscript:, file: and non-image data: URLs.
 */
const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false });

const defaultLinkOpen =
  markdown.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));

// Links lead away from the tracker: never hand it the opener or our referrer.
markdown.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  tokens[idx].attrSet('rel', 'nofollow noopener noreferrer');
  return defaultLinkOpen(tokens, idx, options, env, self);
};

export function renderMarkdown(source: string | null | undefined): string {
  return markdown.render(source ?? '');
}
