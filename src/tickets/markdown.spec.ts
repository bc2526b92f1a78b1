import { DESCRIPTION_MAX } from './dto/ticket-form.dto';
import { MAX_RENDERED_LENGTH, MAX_TABLE_CELLS, MAX_TABLE_COLUMNS, renderMarkdown } from '../common/markdown';

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

  it('renders task lists as read-only checkboxes, their text still escaped', () => {
    const html = renderMarkdown('- [ ] write <b>docs</b>\n- [x] ship');
    expect(html).toContain('<ul class="contains-task-list">');
    expect(html).toMatch(
      /<input class="task-list-item-checkbox" disabled="" type="checkbox"> write &lt;b&gt;docs&lt;\/b&gt;/,
    );
    expect(html).toMatch(/<input class="task-list-item-checkbox" checked="" disabled="" type="checkbox"> ship/);
    expect(html.match(/<input/g)).toHaveLength(2);
  });

  it('renders nothing for an empty description', () => {
    expect(renderMarkdown('')).toBe('');
    expect(renderMarkdown(null)).toBe('');
  });
});

describe('renderMarkdown limits', () => {
  const table = (columns: number, rows: string[]) =>
    ['|' + 'h|'.repeat(columns), '|' + '-|'.repeat(columns), ...rows].join('\n');

  it('renders an 8,000-column table as the text it is, not 64,000 empty cells', () => {
    const source = table(8_000, Array<string>(8).fill('|x|'));
    const html = renderMarkdown(source);
    expect(html).not.toContain('<table');
    expect(html.startsWith('<pre><code>|h|h|h|')).toBe(true);
    expect(html.length).toBeLessThan(source.length + 100);
  });

  it(`renders tables of up to ${MAX_TABLE_COLUMNS} columns, and wider ones as written`, () => {
    const fits = renderMarkdown(table(MAX_TABLE_COLUMNS, ['|1|2|']));
    expect(fits).toContain('<table>');
    expect(fits.match(/<td>/g)).toHaveLength(MAX_TABLE_COLUMNS);
    const wider = renderMarkdown(table(MAX_TABLE_COLUMNS + 1, ['|1|2|']));
    expect(wider).not.toContain('<table');
    expect(wider).toContain('<pre><code>|h|');
  });

  it(`stops at ${MAX_TABLE_CELLS.toLocaleString('en')} cells per description, however few bytes ask for them`, () => {
    // Each one-character row is padded to the header's width by markdown-it.
    const padded = renderMarkdown(table(MAX_TABLE_COLUMNS, Array<string>(5_000).fill('x')));
    expect(padded).not.toContain('<td');
    const small = table(2, ['|1|2|']);
    const many = renderMarkdown(Array<string>(1_000).fill(small).join('\n\n'));
    expect(many.match(/<td>/g)!.length).toBeLessThanOrEqual(MAX_TABLE_CELLS);
    expect(many.match(/<table>/g)!.length).toBe(MAX_TABLE_CELLS / 4); // two header and two body cells each
    expect(many).toContain('<pre><code>|h|h|');
  });

  it('keeps any description within its HTML budget: a flood of links is shown as plain text', () => {
    const links = '[](a) '.repeat(DESCRIPTION_MAX / 6);
    const html = renderMarkdown(links);
    expect(html.length).toBeLessThanOrEqual(MAX_RENDERED_LENGTH);
    expect(html.startsWith('<pre class="markdown-as-text">[](a) [](a) ')).toBe(true);
    const escaped = renderMarkdown('[](a) <b>&</b> '.repeat(DESCRIPTION_MAX / 15));
    expect(escaped.startsWith('<pre class="markdown-as-text">[](a) &lt;b&gt;&amp;&lt;/b&gt; ')).toBe(true);
  });

  it('keeps the rendered HTML within a few times the largest description, whatever it holds', () => {
    const hostile = [
      table(8_000, Array<string>(8).fill('|x|')),
      table(MAX_TABLE_COLUMNS, Array<string>(20_000).fill('x')),
      '|a|b|\n|:-:|-:|\n' + '|\n'.repeat(25_000),
      '> '.repeat(25_000),
      '- '.repeat(25_000),
      '<ab:c> '.repeat(DESCRIPTION_MAX / 7),
      '*a* '.repeat(DESCRIPTION_MAX / 4),
      '&'.repeat(DESCRIPTION_MAX),
    ];
    for (const source of hostile.map((s) => s.slice(0, DESCRIPTION_MAX))) {
      const length = renderMarkdown(source).length;
      expect({ source: source.slice(0, 20), length }).toEqual({
        source: source.slice(0, 20),
        length: expect.any(Number) as number,
      });
      expect(length).toBeLessThanOrEqual(MAX_RENDERED_LENGTH + 5 * DESCRIPTION_MAX);
    }
  });
});
