import { excerpt } from './dashboard.service';

describe('excerpt', () => {
  it('keeps a short description, flattened to one line', () => {
    expect(excerpt('  Two\n\nlines  ')).toBe('Two lines');
    expect(excerpt('')).toBe('');
  });

  it('cuts a long description on a word boundary with an ellipsis', () => {
    const text = 'word '.repeat(100);
    const result = excerpt(text, 22);
    expect(result).toBe('word word word word…');
  });

  it('drops punctuation before the ellipsis', () => {
    expect(excerpt('The end. And more words follow here', 12)).toBe('The end…');
  });

  it('cuts a long word where it must', () => {
    expect(excerpt('x'.repeat(50), 10)).toBe(`${'x'.repeat(10)}…`);
  });
});
