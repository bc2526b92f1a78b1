import { markdownToText } from './markdown';

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
