import { Op, WhereOptions } from 'sequelize';

/**
 * Where a page of rows ordered newest first (`createdAt` DESC, `id` DESC) ends: rows older than
 * `at`, and at `at` itself those `sameTime` lets through (all, none, or those with a lower id).
 */
export interface NewestFirstCursor<Id extends string | number> {
  at: Date;
  sameTime: 'include' | 'exclude' | { idBelow: Id };
}

/** The condition for the rows after `cursor` in newest-first order (keyset pagination). */
export function olderThan<Id extends string | number>(cursor: NewestFirstCursor<Id>): WhereOptions {
  if (cursor.sameTime === 'include') return { createdAt: { [Op.lte]: cursor.at } };
  if (cursor.sameTime === 'exclude') return { createdAt: { [Op.lt]: cursor.at } };
  return {
    [Op.or]: [
      { createdAt: { [Op.lt]: cursor.at } },
      { createdAt: cursor.at, id: { [Op.lt]: cursor.sameTime.idBelow } },
    ],
  };
}
