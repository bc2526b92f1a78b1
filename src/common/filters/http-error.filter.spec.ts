import { ConnectionRefusedError, DatabaseError, UniqueConstraintError } from 'sequelize';
import { statusOfForeignError } from './http-error.filter';

const queryError = (message: string, code?: string) =>
  new DatabaseError(Object.assign(new Error(message), { code, sql: 'SELECT 1', parameters: [] }));

describe('statusOfForeignError', () => {
  it('answers 503 when the database cannot be reached', () => {
    expect(statusOfForeignError(new ConnectionRefusedError(new Error('connect ECONNREFUSED 127.0.0.1:5432')))).toBe(
      503,
    );
  });

  it.each([
    ['Connection terminated unexpectedly', undefined],
    ['Client has encountered a connection error and is not queryable', undefined],
    ['read ECONNRESET', 'ECONNRESET'],
    ['terminating connection due to administrator command', '57P01'],
    ['connection failure', '08006'],
  ])('answers 503 when a query loses its connection (%s)', (message, code) => {
    expect(statusOfForeignError(queryError(message, code))).toBe(503);
  });

  it.each([
    ['Connection terminated unexpectedly', undefined],
    ['timeout exceeded when trying to connect', undefined],
    ['connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'],
  ])("answers 503 for pg's own connection errors, from reads that bypass Sequelize (%s)", (message, code) => {
    expect(statusOfForeignError(Object.assign(new Error(message), { code }))).toBe(503);
  });

  it('keeps 500 for query errors that are the request or the code, not the connection', () => {
    expect(statusOfForeignError(queryError('syntax error at or near "SELEC"', '42601'))).toBe(500);
    expect(statusOfForeignError(new UniqueConstraintError({}))).toBe(500);
    expect(statusOfForeignError(Object.assign(new Error('syntax error'), { code: '42601' }))).toBe(500);
  });

  it('keeps the status of http-errors style errors', () => {
    expect(statusOfForeignError(Object.assign(new Error('too large'), { status: 413 }))).toBe(413);
    expect(statusOfForeignError(new Error('boom'))).toBe(500);
  });
});
