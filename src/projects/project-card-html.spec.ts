import hbs from 'hbs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { registerViewHelpers } from '../common/views/view-helpers';
import type { ProjectCard } from './dashboard.service';
import { keptCardHtml, projectCardHtml } from './project-card-html';

describe('projectCardHtml and keptCardHtml', () => {
  const partials = join(__dirname, '..', '..', 'views', 'partials');
  registerViewHelpers(hbs);
  hbs.registerPartial('avatar', readFileSync(join(partials, 'avatar.hbs'), 'utf8'));
  hbs.registerPartial('projects/card', readFileSync(join(partials, 'projects', 'card.hbs'), 'utf8'));

  const card: ProjectCard = {
    id: 'p-1',
    version: 7,
    name: 'Apollo <b>',
    excerpt: 'To the moon',
    isMember: false,
    members: [{ id: 'u-1', name: 'Ada', email: 'ada@example.test', avatar: null, displayName: 'Ada' }],
    moreMembers: 0,
    memberCount: 1,
    counts: [{ status: 'OPEN', label: 'Open', count: 3 }],
    totalTickets: 3,
  };

  it('renders the card escaped, with the buttons of a manager only', () => {
    const forManager = projectCardHtml(card, true);
    expect(forManager).toContain('Apollo &lt;b&gt;');
    expect(forManager).toContain('data-action="edit"');
    expect(forManager).toContain('Not a member');
    const forMember = projectCardHtml(card, false);
    expect(forMember).not.toContain('data-action="edit"');
    expect(forMember).not.toContain('Not a member');
    expect(forMember).toContain('title="Ada"');
  });

  it('keeps a rendering by project, version, membership and role only', () => {
    const key = { id: 'p-2', version: 1, isMember: false };
    expect(keptCardHtml(key, false)).toBeUndefined();
    const html = projectCardHtml({ ...card, ...key }, false);
    expect(keptCardHtml(key, false)).toBe(html);
    expect(keptCardHtml({ ...key, version: 2 }, false)).toBeUndefined();
    expect(keptCardHtml({ ...key, isMember: true }, false)).toBeUndefined();
    expect(keptCardHtml(key, true)).toBeUndefined();
    expect(keptCardHtml({ ...key, id: 'p-3' }, false)).toBeUndefined();
  });

  it('renders what it is given, and keeps the newest rendering of a key', () => {
    const key = { id: 'p-4', version: 1, isMember: true };
    projectCardHtml({ ...card, ...key }, false);
    const renamed = projectCardHtml({ ...card, ...key, name: 'Artemis' }, false);
    expect(renamed).toContain('>Artemis</a>');
    expect(keptCardHtml(key, false)).toBe(renamed);
  });
});
