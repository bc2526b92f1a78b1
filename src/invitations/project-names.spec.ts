import { projectNamesOf } from './project-names';

describe('projectNamesOf', () => {
  const named = (...names: string[]) => names.map((name) => ({ name }));

  it('reads as a sentence, sorted by name', () => {
    expect(projectNamesOf(undefined)).toBe('');
    expect(projectNamesOf([])).toBe('');
    expect(projectNamesOf(named('Zeus'))).toBe('Zeus');
    expect(projectNamesOf(named('Zeus', 'Apollo'))).toBe('Apollo and Zeus');
    expect(projectNamesOf(named('Zeus', 'Hermes', 'Apollo'))).toBe('Apollo, Hermes and Zeus');
  });
});
