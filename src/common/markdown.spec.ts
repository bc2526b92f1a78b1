import { markdownToText, renderMarkdown, renderMarkdownKept } from './markdown';
import { mentionableAmong } from './mentions';

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

  it('renders the mentions of the people named now: a renamed or removed person renders anew', () => {
    const ada = { id: 'a', email: 'ada@example.test', displayName: 'Ada Lovelace' };
    const source = 'Ask @ada, or &#64;ada.';
    const before = renderMarkdownKept(source, mentionableAmong([ada]));
    expect(before).toBe(renderMarkdown(source, mentionableAmong([ada])));
    expect(before).toContain('>@Ada Lovelace</span>');

    const renamed = renderMarkdownKept(source, mentionableAmong([{ ...ada, displayName: 'Ada King' }]));
    expect(renamed).toContain('>@Ada King</span>');
    expect(renamed).not.toContain('Lovelace');
    expect(renderMarkdownKept(source, mentionableAmong([]))).toBe(renderMarkdown(source));
    expect(renderMarkdownKept(source)).not.toContain('class="mention"');
  });
});
