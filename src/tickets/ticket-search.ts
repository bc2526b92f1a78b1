import { literal } from 'sequelize';
type Literal = ReturnType<typeof literal>;

/** At most this many words of a search are looked up (the field allows 200 characters). */
const MAX_WORDS = 8;
const MAX_WORD_LENGTH = 64;

/**
 * The words of a search, lower-cased: runs of letters and digits, as the index splits the text
 * (migration 0017). Everything else (quotes, operators of either database's query language,
 * control characters, NUL) separates words and never reaches the SQL.
 */
export function searchWords(text: string): string[] {
  const words =
    text
      .normalize('NFC')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? [];
  return [...new Set(words.map((word) => word.slice(0, MAX_WORD_LENGTH)))].slice(0, MAX_WORDS);
}

/** "#12" or "12": a ticket number. */
export function searchedNumber(text: string): number | null {
  const match = /^#?(\d{1,9})$/.exec(text.trim());
  return match ? Number(match[1]) : null;
}

export interface TicketSearch {
  /** The condition on "Ticket": every word matches the title or the description (as a prefix), or the number is the one typed. */
  where: Literal;
  /** Best matches first: the typed number, then the rank. Used as ORDER BY ... ASC. */
  order: Literal[];
}

type Quote = (value: string) => string;

/**
 * The search for `text` on the index of the dialect: PostgreSQL's full-text vector (ts_rank, the
 * title weighing more) or SQLite's FTS5 table (bm25, the title weighing ten times the
 * description). Every word is a prefix: "print" finds "printer". Null when the text holds no word
 * and no number: nothing can match.
 */
export function ticketSearch(dialect: string, text: string, quote: Quote): TicketSearch | null {
  const words = searchWords(text);
  const number = searchedNumber(text);
  if (!words.length && number === null) return null;
  const numberMatch = number === null ? null : `"Ticket"."number" = ${number}`;
  const order: Literal[] = numberMatch ? [literal(`CASE WHEN ${numberMatch} THEN 0 ELSE 1 END`)] : [];
  const alternatives = numberMatch ? [numberMatch] : [];
  if (words.length && dialect === 'postgres') {
    const query = `to_tsquery('simple', ${quote(words.map((word) => `'${word}':*`).join(' & '))})`;
    alternatives.unshift(`"Ticket"."search_vector" @@ ${query}`);
    order.push(literal(`-ts_rank("Ticket"."search_vector", ${query})`));
  } else if (words.length) {
    const query = quote(words.map((word) => `"${word}"*`).join(' '));
    alternatives.unshift(`"Ticket".rowid IN (SELECT rowid FROM tickets_fts WHERE tickets_fts MATCH ${query})`);
    order.push(
      literal(
        `(SELECT bm25(tickets_fts, 10.0, 1.0) FROM tickets_fts WHERE tickets_fts MATCH ${query} AND rowid = "Ticket".rowid)`,
      ),
    );
  }
  return { where: literal(`(${alternatives.join(' OR ')})`), order };
}
