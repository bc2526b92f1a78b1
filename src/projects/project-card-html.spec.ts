import hbs from 'hbs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { registerViewHelpers } from '../common/views/view-helpers';
import type { ProjectCard } from './dashboard.service';
import { projectCardHtml } from './project-card-html';

describe('projectCardHtml', () => {
  const partials = join(__dirname, '..', '..', 'views', 'partials');
  registerViewHelpers(hbs);
  hbs.registerPartial('avatar', readFileSync(join(partials, 'avatar.hbs'), 'utf8'));
  hbs.registerPartial('projects/card', readFileSync(join(partials, 'projects', 'card.hbs'), 'utf8'));

  const card: ProjectCard = {
    id: 'p-1',
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

  it('renders anew whatever changed: a count, a member, a name', () => {
    const before = projectCardHtml(card, false);
    expect(before).toContain('<strong>3</strong>');
    expect(projectCardHtml({ ...card, counts: [{ status: 'OPEN', label: 'Open', count: 4 }] }, false)).toContain(
      '<strong>4</strong>',
    );
    const renamed = { ...card.members[0], name: 'Ada King', displayName: 'Ada King' };
    expect(projectCardHtml({ ...card, members: [renamed] }, false)).toContain('title="Ada King"');
    expect(projectCardHtml({ ...card, name: 'Artemis' }, false)).toContain('>Artemis</a>');
    expect(projectCardHtml(card, false)).toBe(before);
  });
});
