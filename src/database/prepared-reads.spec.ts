import type { Sequelize } from 'sequelize-typescript';
import type { AppConfig } from '../config/app-config';
import { nestDotted, positional, PreparedReads } from './prepared-reads';

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

describe('PreparedReads.listOf', () => {
  const reads = new PreparedReads(
    { databaseUrl: 'sqlite:data/unused.sqlite' } as AppConfig,
    null as unknown as Sequelize,
  );

  it('reads a jsonRows value as PostgreSQL (parsed) or SQLite (text) gives it: in position order, nested, without the position', () => {
    const rows = [
      { id: 2, 'actor.id': 'b', position: 2 },
      { id: 1, 'actor.id': 'a', position: 1 },
    ];
    const expected = [
      { id: 1, actor: { id: 'a' } },
      { id: 2, actor: { id: 'b' } },
    ];
    expect(reads.listOf(rows)).toEqual(expected);
    expect(reads.listOf(JSON.stringify(rows))).toEqual(expected);
    expect(reads.listOf('[]')).toEqual([]);
    expect(reads.listOf(null)).toEqual([]);
  });

  it('writes the aggregate of the dialect', () => {
    expect(reads.jsonRows('SELECT 1 AS a, 1 AS position', ['a'])).toContain(
      'json_group_array(json_object(\'a\', x."a", \'position\', x."position"))',
    );
  });
});
