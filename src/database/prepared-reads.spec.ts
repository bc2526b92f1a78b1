import { nestDotted, positional } from './prepared-reads';

describe('positional', () => {
  it('numbers the named placeholders in order of first use, keeping casts and repeats', () => {
    const statement = positional(
      'x',
      "SELECT count(*)::int AS n FROM t WHERE a = :sid AND b > :now AND c = :sid AND d = 'x:y'",
    );
    expect(statement).toMatchObject({
      name: 'x',
      text: "SELECT count(*)::int AS n FROM t WHERE a = $1 AND b > $2 AND c = $1 AND d = 'x:y'",
      params: ['sid', 'now'],
    });
  });
});

describe('nestDotted', () => {
  it('nests dotted column names one level, as Sequelize reads `nest: true`', () => {
    expect(nestDotted({ sessionData: 'd', 'user.id': 'u', 'user.name': null, 'project.id': 'p' })).toEqual({
      sessionData: 'd',
      user: { id: 'u', name: null },
      project: { id: 'p' },
    });
  });
});
