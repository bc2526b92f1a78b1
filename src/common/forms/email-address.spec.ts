import fc from 'fast-check';
import addressparser from 'nodemailer/lib/addressparser';
import { isEmail } from 'class-validator';
import { isPlainEmailAddress } from './email-address';

describe('isPlainEmailAddress', () => {
  it.each([
    'name@example.com',
    'first.last+tag@mail.example.co.uk',
    "o'brien@example.ie",
    'x_y-z@xn--bcher-kva.example',
    'UPPER@Example.COM',
  ])('accepts %s', (address) => {
    expect(isPlainEmailAddress(address)).toBe(true);
  });

  it.each([
    ['a quoted local part', '"<x>"@example.com'],
    ['a quoted local part holding an address', '"victim@evil.test"@example.com'],
    ['a quoted local part with a space', '"x y"@example.com'],
    ['a comment', 'x(comment)@example.com'],
    ['a display name', 'Name <name@example.com>'],
    ['two addresses', 'a@example.com,b@evil.test'],
    ['two addresses separated by a semicolon', 'a@example.com;b@evil.test'],
    ['a group', 'group:a@example.com;'],
    ['a line break', 'a@example.com\r\nBcc: b@evil.test'],
    ['two @', 'a@b@example.com'],
    ['an IP literal', 'a@[127.0.0.1]'],
    ['no TLD', 'a@localhost'],
    ['a leading dot', '.a@example.com'],
    ['two dots in a row', 'a..b@example.com'],
    ['a non-ASCII local part', 'jörg@example.com'],
    ['nothing before the @', '@example.com'],
    ['an over-long local part', `${'a'.repeat(65)}@example.com`],
    ['an over-long address', `${'a'.repeat(60)}@${'b'.repeat(190)}.com`],
    ['a one-letter top-level domain', 'a@a.a'],
    ['a top-level domain with a digit', 'a@example.c1'],
    ['a non-string', ['a@example.com']],
  ])('refuses %s', (_label, address) => {
    expect(isPlainEmailAddress(address)).toBe(false);
  });

  it('accepts only what nodemailer reads back as that very address, and what class-validator calls an email', () => {
    const tricky = fc.constantFrom(...'aZ09._+-\'"<>()[],;:@\\ \t\r\n!#$%&*/=?^`{|}~é'.split(''));
    const part = fc.string({ unit: tricky, maxLength: 12 });
    const address = fc.oneof(
      fc.tuple(part, fc.constantFrom('@example.com', '@x.io', '', '@')).map(([local, domain]) => local + domain),
      fc.tuple(part, part, fc.constantFrom('.com', '.org', '')).map(([local, host, tld]) => `${local}@${host}${tld}`),
    );
    let accepted = 0;
    fc.assert(
      fc.property(address, (candidate) => {
        if (!isPlainEmailAddress(candidate)) return;
        accepted++;
        expect(addressparser(candidate, { flatten: true })).toEqual([{ name: '', address: candidate }]);
        expect(isEmail(candidate)).toBe(true);
      }),
      { numRuns: 5_000 },
    );
    expect(accepted).toBeGreaterThan(100);
  });
});
