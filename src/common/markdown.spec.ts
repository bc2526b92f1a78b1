import { markdownToText, renderMarkdown, renderMarkdownKept } from './markdown';

describe('markdownToText', () => {
  it('keeps the words and drops the markup, on one line', () => {
    expect(
      markdownToText('# Apollo\n\nTo the **moon**, with `code` and [a link](https://example.com).\n\n- one\n- two'),
    ).toBe('Apollo To the moon, with code and a link. one two');
    expect(markdownToText('> quoted <b>tag</b>')).toBe('quoted <b>tag</b>');
    expect(markdownToText('')).toBe('');
    expect(markdownToText(null)).toBe('');
  });
});

describe('renderMarkdownKept', () => {
  it('renders as renderMarkdown does, raw HTML still escaped, and follows a changed source', () => {
    const source = '**Plan** <script>alert(1)</script> [docs](javascript:alert(1))';
    expect(renderMarkdownKept(source)).toBe(renderMarkdown(source));
    expect(renderMarkdownKept(source)).not.toContain('<script>');
    expect(renderMarkdownKept(`${source} v2`)).toBe(renderMarkdown(`${source} v2`));
    expect(renderMarkdownKept(null)).toBe('');
  });
});
