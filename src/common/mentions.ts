/**
 * A mention is `@` followed by a person's handle: the part of their email before the `@`, in
 * any case (`@ada` for ada@example.com). Plain text that reads well without rendering, types
 * without a picker, and needs no markup a person could forge: whom it names is decided when it
 * is read, against the people with access to the project (`mentionableAmong`). A handle two of
 * them share names nobody (write it out to the person instead).
 *
 * The `@` must not follow a letter, digit or one of `._%+-@` (so an email address is not a
 * mention), and the handle ends on a letter, digit or `_` (a sentence's full stop stays out).
 */
const MENTION = /(?<![\p{L}\p{N}._%+\-@])@([\p{L}\p{N}_%+-](?:[\p{L}\p{N}._%+-]*[\p{L}\p{N}_%+-])?)/gu;

export interface MentionablePerson {
  id: string;
  email: string;
  displayName: string;
}

/** The people who can be mentioned, by handle. */
export type Mentionable = ReadonlyMap<string, MentionablePerson>;

export function mentionHandle(email: string): string {
  return email.slice(0, email.lastIndexOf('@')).toLowerCase();
}

/** The people of `people` by handle, leaving out handles that more than one of them has. */
export function mentionableAmong(people: MentionablePerson[]): Mentionable {
  const byHandle = new Map<string, MentionablePerson | null>();
  for (const person of people) {
    const handle = mentionHandle(person.email);
    byHandle.set(handle, byHandle.has(handle) ? null : person);
  }
  return new Map([...byHandle].filter((entry): entry is [string, MentionablePerson] => entry[1] !== null));
}

/** The mentions in `text`: each match's position, length and handle (lower case). */
export function findMentions(text: string): { index: number; length: number; handle: string }[] {
  return [...text.matchAll(MENTION)].map((match) => ({
    index: match.index,
    length: match[0].length,
    handle: match[1].toLowerCase(),
  }));
}

/** The distinct handles mentioned in `text` (lower case). */
export function mentionedHandles(text: string): string[] {
  return [...new Set(findMentions(text).map((mention) => mention.handle))];
}
