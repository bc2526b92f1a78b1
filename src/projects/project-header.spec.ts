import hbs from 'hbs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderMarkdown } from '../common/markdown';
import { registerViewHelpers } from '../common/views/view-helpers';

/** The header the project board renders at its top: `{{> project-header project=project}}`. */
describe('project-header partial', () => {
  const handlebars = hbs.handlebars;
  registerViewHelpers(hbs);
  handlebars.registerPartial(
    'project-header',
    readFileSync(join(__dirname, '..', '..', 'views', 'partials', 'project-header.hbs'), 'utf8'),
  );
  const render = handlebars.compile('<main>{{> project-header project=project}}</main>');
  const description = 'To the **moon** <img src=x>';
  const project = { id: 'p-1', name: 'Apollo <script>', description, descriptionHtml: renderMarkdown(description) };

  it('shows the name escaped and the description as Markdown without raw HTML, and reloads on projects:changed', () => {
    const html = render({ project, currentUser: { isManager: false } });
    expect(html).toContain('Apollo &lt;script&gt;');
    expect(html).not.toContain('<script>');
    expect(html).toContain('To the <strong>moon</strong> &lt;img src=x&gt;');
    expect(html).toContain('id="project-header" data-reload-on="projects:changed"');
  });

  it('gives managers Edit, Members and Delete, each opening a modal', () => {
    const html = render({ project, currentUser: { isManager: true } });
    expect(html).toContain('href="/projects/p-1/edit" up-layer="new modal"');
    expect(html).toContain('href="/projects/p-1/members" up-layer="new modal"');
    expect(html).toContain('href="/projects/p-1/delete" up-layer="new modal"');
  });

  it('gives members no project actions', () => {
    const html = render({ project, currentUser: { isManager: false } });
    expect(html).not.toContain('/projects/p-1/edit');
    expect(html).not.toContain('/projects/p-1/members');
    expect(html).not.toContain('/projects/p-1/delete');
  });
});
