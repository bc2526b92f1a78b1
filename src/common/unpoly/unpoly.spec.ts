import type { Request, Response } from 'express';
import { Unpoly } from './unpoly';

function fakeExchange(headers: Record<string, string>) {
  const sent: Record<string, string> = {};
  const request = { get: (name: string) => headers[name] } as unknown as Request;
  const response = {
    set: (name: string, value: string) => {
      sent[name] = value;
      return response;
    },
  } as unknown as Response;
  return { up: new Unpoly(request, response), sent };
}

describe('Unpoly', () => {
  it('tells a modal from the root layer and from a plain request', () => {
    expect(fakeExchange({ 'X-Up-Version': '3.14.3', 'X-Up-Mode': 'modal' }).up.inOverlay).toBe(true);
    const root = fakeExchange({ 'X-Up-Version': '3.14.3', 'X-Up-Mode': 'root' }).up;
    expect([root.isUnpoly, root.inOverlay]).toEqual([true, false]);
    const plain = fakeExchange({}).up;
    expect([plain.isUnpoly, plain.inOverlay]).toEqual([false, false]);
  });

  it('writes events as a JSON array, and no header for none', () => {
    const { up, sent } = fakeExchange({});
    up.emit([]);
    expect(sent).toEqual({});
    up.emit([{ type: 'project:deleted', projectId: 'p1' }, { type: 'projects:changed' }]);
    expect(JSON.parse(sent['X-Up-Events'])).toEqual([
      { type: 'project:deleted', projectId: 'p1' },
      { type: 'projects:changed' },
    ]);
  });

  it('accepts the layer with null unless given a value', () => {
    const { up, sent } = fakeExchange({});
    up.acceptLayer();
    expect(sent['X-Up-Accept-Layer']).toBe('null');
    up.acceptLayer({ id: 5 });
    expect(sent['X-Up-Accept-Layer']).toBe('{"id":5}');
  });
});
