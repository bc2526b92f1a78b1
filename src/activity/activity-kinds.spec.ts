import { describeActivity, peopleIn } from './activity-kinds';

describe('history entries in words', () => {
  const entry = (
    kind: string,
    field: string | null = null,
    fromValue: string | null = null,
    toValue: string | null = null,
  ) => describeActivity({ kind, field, fromValue, toValue } as Parameters<typeof describeActivity>[0]);

  it('names statuses and priorities by their labels', () => {
    expect(entry('changed', 'status', 'IN_PROGRESS', 'DONE')).toBe('changed the status from In progress to Done');
    expect(entry('moved', 'status', 'OPEN', 'REVIEW')).toBe('moved the ticket on the board from Open to Review');
    expect(entry('changed', 'priority', 'LOW', 'CRITICAL')).toBe('changed the priority from Low to Critical');
  });

  it('quotes titles, and only tells that a description was edited', () => {
    expect(entry('changed', 'title', 'Old', 'New to me')).toBe('changed the title from “Old” to “New to me”');
    expect(entry('changed', 'description', 'a long text', 'another long text')).toBe('edited the description');
  });

  it('names assignees by the names it is given, and who lost access', () => {
    const people = new Map([
      ['u-ana', 'Ana'],
      ['u-bo', 'Bo'],
    ]);
    const assignment = (fromValue: string | null, toValue: string | null) =>
      describeActivity({ kind: 'changed', field: 'assigneeId', fromValue, toValue }, people);
    expect(assignment(null, 'u-ana')).toBe('assigned the ticket to Ana');
    expect(assignment('u-ana', 'u-bo')).toBe('reassigned the ticket from Ana to Bo');
    expect(assignment('u-bo', null)).toBe('unassigned Bo');
    expect(assignment('u-gone', null)).toBe('unassigned a former member');
    expect(entry('access-lost', 'assigneeId', 'u-ana')).toBe('was unassigned: no longer has access to the project');
    expect(
      peopleIn([
        { field: 'assigneeId', fromValue: 'u-ana', toValue: 'u-bo' },
        { field: 'title', fromValue: 'x', toValue: 'y' },
        { field: 'assigneeId', fromValue: null, toValue: 'u-ana' },
      ]),
    ).toEqual(['u-ana', 'u-bo']);
  });

  it('words the other kinds', () => {
    expect(entry('created')).toBe('created the ticket');
    expect(entry('comment-deleted')).toBe('deleted a comment');
  });
});
