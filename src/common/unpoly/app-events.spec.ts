import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { APP_EVENTS, appEventType } from './app-events';

const ROOT = join(__dirname, '..', '..', '..');

function filesUnder(dir: string, suffix: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return filesUnder(path, suffix);
    return path.endsWith(suffix) ? [path] : [];
  });
}

describe('app events', () => {
  it('gives the type for a key and refuses an unknown key', () => {
    expect(appEventType('ticketsChanged')).toBe('tickets:changed');
    expect(() => appEventType('ticketChanged')).toThrow('Unknown app event "ticketChanged"');
    expect(() => appEventType('toString')).toThrow();
  });

  it('are spelled only in app-events.ts: neither the scripts in public/ nor the views write a name themselves', () => {
    const names = Object.values(APP_EVENTS);
    const sources = [...filesUnder(join(ROOT, 'public'), '.js'), ...filesUnder(join(ROOT, 'views'), '.hbs')];
    const offenders = sources.filter((path) => {
      const text = readFileSync(path, 'utf8');
      return names.some((name) => text.includes(name));
    });
    expect(offenders).toEqual([]);
  });
});
