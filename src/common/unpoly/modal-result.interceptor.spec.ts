import type { CallHandler, ExecutionContext } from '@nestjs/common';
import type { Request, Response } from 'express';
import { lastValueFrom, of } from 'rxjs';
import { APP_EVENTS } from './app-events';
import { ModalResultInterceptor } from './modal-result.interceptor';
import { done, formErrors, ModalResult, noContent, page, redirect } from './modal-result';

const MODAL = { 'X-Up-Version': '3.14.3', 'X-Up-Mode': 'modal' };
const ROOT = { 'X-Up-Version': '3.14.3', 'X-Up-Mode': 'root' };

/** A request with the given headers and a response that records what is written to it. */
function exchange(headers: Record<string, string> = {}) {
  const session: { flash?: { type: string; message: string }[] } = {};
  const request = { get: (name: string) => headers[name], session } as unknown as Request;
  const written = { status: 0, headers: {} as Record<string, string>, rendered: [] as [string, object][] };
  const response = {
    status(code: number) {
      written.status = code;
      return this;
    },
    set(name: string, value: string) {
      written.headers[name] = value;
      return this;
    },
    location(url: string) {
      written.headers.Location = url;
      return this;
    },
    render(view: string, locals: object, callback: (error: Error | null, html?: string) => void) {
      written.rendered.push([view, locals]);
      if (view === 'broken') callback(new Error('no such view'));
      else callback(null, `<html>${view}</html>`);
    },
  } as unknown as Response;
  const context = {
    getType: () => 'http',
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => response }),
  } as unknown as ExecutionContext;
  const run = (value: unknown) => {
    const handler: CallHandler = { handle: () => of(value) };
    return lastValueFrom(new ModalResultInterceptor().intercept(context, handler));
  };
  return { run, written, session };
}

const ticketsChanged = { type: APP_EVENTS.ticketsChanged };

describe('ModalResultInterceptor', () => {
  it('passes any other value through untouched (the locals of a @Render route)', async () => {
    const { run, written } = exchange(MODAL);
    const locals = { title: 'Board' };
    expect(await run(locals)).toBe(locals);
    expect(await run(undefined)).toBeUndefined();
    expect(written).toEqual({ status: 0, headers: {}, rendered: [] });
  });

  describe('done', () => {
    const saved = (): ModalResult =>
      done({ redirectTo: '/projects/p1', events: [APP_EVENTS.ticketsChanged], flash: 'Ticket #1 was deleted.' });

    it('in a modal: accepts the layer and emits the events and the message as a toast event, with an empty 200', async () => {
      const { run, written, session } = exchange(MODAL);
      expect(await run(saved())).toBeUndefined();
      expect(written.status).toBe(200);
      expect(written.headers['X-Up-Accept-Layer']).toBe('null');
      expect(JSON.parse(written.headers['X-Up-Events'])).toEqual([
        ticketsChanged,
        { type: APP_EVENTS.toast, message: 'Ticket #1 was deleted.' },
      ]);
      expect(written.headers.Location).toBeUndefined();
      expect(session.flash).toBeUndefined();
    });

    it.each([
      ['without JavaScript', {}],
      ['from the root layer', ROOT],
    ])('%s: 303 to the page that shows the result, with the flash message', async (_label, headers) => {
      const { run, written, session } = exchange(headers);
      expect(await run(saved())).toBeUndefined();
      expect(written.status).toBe(303);
      expect(written.headers.Location).toBe('/projects/p1');
      expect(written.headers['X-Up-Accept-Layer']).toBeUndefined();
      expect(written.headers['X-Up-Events']).toBeUndefined();
      expect(session.flash).toEqual([{ type: 'success', message: 'Ticket #1 was deleted.' }]);
    });

    const inPlace = (): ModalResult =>
      done({
        redirectTo: '/projects/p1/members',
        events: [APP_EVENTS.projectsChanged],
        flash: 'Added.',
        inPlace: { view: 'projects/members', locals: { notice: 'Added.' } },
      });

    it.each([
      ['in a modal', MODAL],
      ['on the root layer', ROOT],
    ])(
      'with a view in place, %s: renders it with 200 and the events, the layer stays open',
      async (_label, headers) => {
        const { run, written, session } = exchange(headers);
        expect(await run(inPlace())).toBe('<html>projects/members</html>');
        expect(written.status).toBe(200);
        expect(written.rendered).toEqual([['projects/members', { notice: 'Added.' }]]);
        expect(JSON.parse(written.headers['X-Up-Events'])).toEqual([{ type: APP_EVENTS.projectsChanged }]);
        expect(written.headers['X-Up-Accept-Layer']).toBeUndefined();
        expect(session.flash).toBeUndefined();
      },
    );

    it('with a view in place, without JavaScript: 303 with the flash message, nothing rendered', async () => {
      const { run, written, session } = exchange();
      expect(await run(inPlace())).toBeUndefined();
      expect(written.status).toBe(303);
      expect(written.headers.Location).toBe('/projects/p1/members');
      expect(written.rendered).toEqual([]);
      expect(session.flash).toEqual([{ type: 'success', message: 'Added.' }]);
    });

    const signedIn = (): ModalResult =>
      done({
        redirectTo: '/projects/p1',
        acceptWith: { value: { userId: 'u1' }, view: 'accounts/signed-in', locals: { title: 'Signed in' } },
      });

    it('accepting with a value, in a modal: closes the layer with that value and answers with the view', async () => {
      const { run, written, session } = exchange(MODAL);
      expect(await run(signedIn())).toBe('<html>accounts/signed-in</html>');
      expect(written.status).toBe(200);
      expect(JSON.parse(written.headers['X-Up-Accept-Layer'])).toEqual({ userId: 'u1' });
      expect(written.rendered).toEqual([['accounts/signed-in', { title: 'Signed in' }]]);
      expect(session.flash).toBeUndefined();
    });

    it.each([
      ['without JavaScript', {}],
      ['from the root layer', ROOT],
    ])('accepting with a value, %s: a plain 303 to the page of the result', async (_label, headers) => {
      const { run, written } = exchange(headers);
      expect(await run(signedIn())).toBeUndefined();
      expect(written.status).toBe(303);
      expect(written.headers.Location).toBe('/projects/p1');
      expect(written.headers['X-Up-Accept-Layer']).toBeUndefined();
      expect(written.rendered).toEqual([]);
    });

    it('keeps event properties and order', async () => {
      const { run, written } = exchange(MODAL);
      await run(
        done({
          redirectTo: '/',
          events: [{ type: APP_EVENTS.projectDeleted, projectId: 'p1' }, APP_EVENTS.projectsChanged],
        }),
      );
      expect(JSON.parse(written.headers['X-Up-Events'])).toEqual([
        { type: 'project:deleted', projectId: 'p1' },
        { type: 'projects:changed' },
      ]);
    });
  });

  it.each([{}, MODAL])('form errors: re-renders the form with its status, closes nothing (%j)', async (headers) => {
    const { run, written } = exchange(headers);
    const locals = { errors: { title: 'Enter a title.' } };
    expect(await run(formErrors('tickets/new', locals))).toBe('<html>tickets/new</html>');
    expect(written.status).toBe(422);
    expect(written.rendered).toEqual([['tickets/new', locals]]);
    expect(written.headers).toEqual({});
    await run(formErrors('tickets/edit', {}, 409));
    expect(written.status).toBe(409);
  });

  it('gives the view a copy of the locals (res.render writes into the object it gets)', async () => {
    const { run, written } = exchange(MODAL);
    const locals = { title: 'Cached' };
    await run(page('tickets/show', locals));
    expect(written.rendered[0][1]).toEqual(locals);
    expect(written.rendered[0][1]).not.toBe(locals);
  });

  it('a page: 200, with its events whether or not Unpoly asked', async () => {
    for (const headers of [{}, MODAL]) {
      const { run, written } = exchange(headers);
      await run(page('invitations/link', { link: 'x' }, { events: [APP_EVENTS.invitationsChanged] }));
      expect(written.status).toBe(200);
      expect(JSON.parse(written.headers['X-Up-Events'])).toEqual([{ type: 'invitations:changed' }]);
      expect(written.headers['X-Up-Accept-Layer']).toBeUndefined();
    }
  });

  it('no content: 204 with the events (drag and drop on the board)', async () => {
    const { run, written } = exchange(ROOT);
    expect(await run(noContent({ events: [APP_EVENTS.ticketsChanged] }))).toBeUndefined();
    expect(written.status).toBe(204);
    expect(JSON.parse(written.headers['X-Up-Events'])).toEqual([ticketsChanged]);
  });

  it('a redirect is a 303 even in a modal (signing in and out)', async () => {
    const { run, written } = exchange(MODAL);
    await run(redirect('/login'));
    expect(written.status).toBe(303);
    expect(written.headers.Location).toBe('/login');
    expect(written.headers['X-Up-Accept-Layer']).toBeUndefined();
  });

  it('lets a failing view reach the exception filter', async () => {
    const { run } = exchange(MODAL);
    await expect(run(page('broken', {}))).rejects.toThrow('no such view');
  });
});
