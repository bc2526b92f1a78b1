import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const MAIL_TEMPLATES_DIR = join(__dirname, '..', '..', 'views', 'mail');

const compiled = new Map<string, Handlebars.TemplateDelegate>();

/** The plain-text part of a mail: `views/mail/<name>.text.hbs`, compiled once. */
export function renderMailText(template: string, context: Record<string, unknown>): string {
  let render = compiled.get(template);
  if (!render) {
    const source = readFileSync(join(MAIL_TEMPLATES_DIR, `${template}.text.hbs`), 'utf8');
    render = Handlebars.compile(source, { noEscape: true, strict: true });
    compiled.set(template, render);
  }
  return render(context);
}
