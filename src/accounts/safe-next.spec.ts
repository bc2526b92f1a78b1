import { safeNext } from './safe-next';

describe('safeNext', () => {
  it.each([
    ['/projects/1', '/projects/1'],
    ['/?a=b', '/?a=b'],
    ['https://evil.example', '/'],
    ['//evil.example/x', '/'],
    ['/\\evil.example', '/'],
    ['javascript:alert(1)', '/'],
    ['/login?next=/x', '/'],
    [undefined, '/'],
    [['/a'], '/'],
  ])('%p -> %p', (input, expected) => {
    expect(safeNext(input)).toBe(expected);
  });
});
