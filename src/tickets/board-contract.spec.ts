import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CARD_SELECT } from './board-cards';
import { BOARD_VERSION_WATCHES, CARD_PEOPLE, cardColumns, unwatchedCardColumns } from '../common/board-contract';
import { boardCards } from './ticket-view';

describe('the board contract', () => {
  it('shows nothing on a card whose change the board version would miss', () => {
    expect(unwatchedCardColumns()).toEqual([]);
    expect(BOARD_VERSION_WATCHES.tickets).toBe('every column');
    expect([...BOARD_VERSION_WATCHES.usersShownAs].sort()).toEqual(Object.keys(CARD_PEOPLE).sort());
  });

  it('is what the card query reads, and nothing else', () => {
    const tableOf: Record<string, string> = { t: 'tickets', r: 'reporter', a: 'assignee' };
    const read = [...CARD_SELECT.matchAll(/\b([tra])\.(\w+)/g)].map(
      ([, alias, column]) => `${tableOf[alias]}.${column}`,
    );
    // The joining columns are read by the joins, not selected.
    const joins = Object.values(CARD_PEOPLE).map((person) => `tickets.${person.joinedBy}`);
    const shown = cardColumns().filter((column) => !joins.includes(column));
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
        assignee: { id: 'v', email: 'f', name: 'm', avatar: null },
      },
    ]);
    const template = readFileSync(join(__dirname, '..', '..', 'views', 'partials', 'tickets', 'card.hbs'), 'utf8');
    // A partial ({{> avatar user=reporter}}) reads what its arguments name.
    const used = [...template.replace(/{{!--[\s\S]*?--}}/g, '').matchAll(/{{(>?)\s*([\w.]+)([^}]*)}}/g)].flatMap(
      ([, partial, name, rest]) => (partial ? [...rest.matchAll(/\w+=(\w+)/g)].map(([, value]) => value) : [name]),
    );
    expect(used).toEqual(expect.arrayContaining(['reporter', 'assignee']));
    expect(used.filter((name) => !(name in card))).toEqual([]);
  });
});
