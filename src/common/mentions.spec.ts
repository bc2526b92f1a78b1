import { renderMarkdown } from './markdown';
import { mentionableAmong, mentionedHandles } from './mentions';

const people = mentionableAmong([
  { id: '1', email: 'ada@example.com', displayName: 'Ada <Lovelace>' },
  { id: '2', email: 'bob@example.com', displayName: 'Bob' },
  { id: '3', email: 'Bob@elsewhere.org', displayName: 'Other Bob' },
]);

describe('mentions', () => {
  it('finds handles after an @ that does not follow a word, without a final full stop', () => {
    expect(mentionedHandles('hi @Ada, ask @bob.smith. mail ada@example.com @ada')).toEqual(['ada', 'bob.smith']);
  });

  it('leaves out a handle two people share', () => {
    expect([...people.keys()]).toEqual(['ada']);
  });

  it('renders a mention of someone mentionable as their escaped name in a span', () => {
    expect(renderMarkdown('thanks @ada.', people)).toBe(
      '<p>thanks <span class="mention" title="@ada">@Ada &lt;Lovelace&gt;</span>.</p>\n',
    );
  });

  it('leaves other handles, code, links and email addresses as text', () => {
    const html = renderMarkdown('@bob @nobody `@ada` [@ada](https://example.com) ada@example.com', people);
    expect(html).not.toContain('class="mention"');
    expect(html).toContain('@bob @nobody');
  });

  it('highlights nothing without the people', () => {
    expect(renderMarkdown('@ada')).toBe('<p>@ada</p>\n');
  });

  it('injects no HTML from the text around a mention', () => {
    const html = renderMarkdown('<b>@ada</b>', people);
    expect(html).toBe('<p>&lt;b&gt;<span class="mention" title="@ada">@Ada &lt;Lovelace&gt;</span>&lt;/b&gt;</p>\n');
  });
});
