import { renderMarkdown } from './markdown';

describe('renderMarkdown', () => {
  it('renders Markdown', () => {
    expect(renderMarkdown('**bold** and _em_')).toBe('<p><strong>bold</strong> and <em>em</em></p>\n');
    expect(renderMarkdown('see https://example.com')).toContain(
      '<a href="https://example.com" rel="nofollow noopener noreferrer">',
    );
  });

  it('leaves raw HTML inert', () => {
    const html = renderMarkdown('<script>alert(1)</script> <img src=x onerror=alert(1)>');
    expect(html).not.toMatch(/<script|<img/i);
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('drops javascript: links', () => {
    for (const source of ['[click](javascript:alert(1))', '[x](JaVaScRiPt:alert(1))', '<javascript:alert(1)>']) {
      expect(renderMarkdown(source)).not.toMatch(/href="javascript:/i);
    }
  });

  it('renders nothing for an empty description', () => {
    expect(renderMarkdown('')).toBe('');
    expect(renderMarkdown(null)).toBe('');
  });
});
