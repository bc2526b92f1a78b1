import type { Request, Response } from 'express';
import { Unpoly } from './unpoly';

function fakeExchange(headers: Record<string, string>) {
  const sent: Record<string, string> = {};
  const request = { get: (name: string) => headers[name] } as unknown as Request;
  const calls: string[] = [];
  const response = {
    set: (name: string, value: string) => {
      sent[name] = value;
      return response;
    },
    status: (code: number) => {
      calls.push(`status ${code}`);
      return response;
    },
    end: () => calls.push('end'),
    redirect: (code: number, to: string) => calls.push(`redirect ${code} ${to}`),
  } as unknown as Response;
  return { up: new Unpoly(request, response), sent, calls };
}

describe('Unpoly', () => {
  it('accepts the overlay and emits events for a submit from a modal', () => {
    const { up, sent, calls } = fakeExchange({ 'X-Up-Version': '3.14.3', 'X-Up-Mode': 'modal' });
    up.finish('/projects', 'projects:changed');
    expect(sent['X-Up-Accept-Layer']).toBe('null');
    expect(JSON.parse(sent['X-Up-Events'])).toEqual([{ type: 'projects:changed' }]);
    expect(calls).toEqual(['status 200', 'end']);
  });

  it('redirects with 303 when the form was a plain page', () => {
    const { up, sent, calls } = fakeExchange({});
    up.finish('/projects', 'projects:changed');
    expect(sent['X-Up-Accept-Layer']).toBeUndefined();
    expect(calls).toEqual(['redirect 303 /projects']);
  });

  it('redirects when Unpoly renders into the root layer', () => {
    const { up, calls } = fakeExchange({ 'X-Up-Version': '3.14.3', 'X-Up-Mode': 'root' });
    up.finish('/');
    expect(calls).toEqual(['redirect 303 /']);
  });
});
