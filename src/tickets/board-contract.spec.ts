import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CARD_SELECT } from './board-cards';
import { BOARD_VERSION_WATCHES, CARD_REPORTER, cardColumns, unwatchedCardColumns } from '../common/board-contract';
import { boardCards } from './ticket-view';

describe('the board contract', () => {
  it('shows nothing on a card whose change the board version would miss', () => {
    expect(unwatchedCardColumns()).toEqual([]);
    expect(BOARD_VERSION_WATCHES.tickets).toBe('every column');
  });

  it('is what the card query reads, and nothing else', () => {
    const read = [...CARD_SELECT.matchAll(/\b([tu])\.(\w+)/g)].map(
      ([, alias, column]) => `${alias === 't' ? 'tickets' : 'users'}.${column}`,
    );
    const shown = cardColumns().filter((column) => column !== `tickets.${CARD_REPORTER.joinedBy}`);
    expect(read.sort()).toEqual(shown.sort());
  });

  it('gives the card template only what the card query read', () => {
    const [card] = boardCards({ id: 'p' }, [
      {
        id: 't',
        number: 1,
        title: 'A',
        status: 'OPEN',
        priority: 'LOW',
        version: 0,
        createdAt: new Date(),
        commentCount: 2,
        reporter: { id: 'u', email: 'e', name: 'n', avatar: null },
      },
    ]);
    const template = readFileSync(join(__dirname, '..', '..', 'views', 'partials', 'tickets', 'card.hbs'), 'utf8');
    const used = [...template.replace(/{{!--[\s\S]*?--}}/g, '').matchAll(/{{>?\s*([\w.]+)([^}]*)}}/g)].flatMap(
      ([, name, rest]) => (name === 'avatar' ? [/user=(\w+)/.exec(rest)?.[1] ?? ''] : [name]),
    );
    expect(used.filter((name) => !(name in card))).toEqual([]);
  });
});
