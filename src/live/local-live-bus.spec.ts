import { LocalLiveBus } from './local-live-bus';
import { compareEventIds, LiveEvent, LiveMessage, parseEventId } from './live-message';

describe('LocalLiveBus', () => {
  const received: LiveMessage[] = [];
  const bus = () => {
    const instance = new LocalLiveBus(3);
    void instance.listen((message) => received.push(message));
    return instance;
  };
  beforeEach(() => received.splice(0));

  it('delivers events in order with increasing ids, and control messages unlogged', async () => {
    const live = bus();
    await live.publish('project:a', { emit: ['x'] });
    await live.control({ kind: 'access', userId: 'u' });
    await live.publish('project:a', { emit: ['y'] });
    expect(received.map((message) => message.kind)).toEqual(['event', 'access', 'event']);
    const events = received.filter((message): message is LiveEvent => message.kind === 'event');
    expect(compareEventIds(events[1].id, events[0].id)).toBeGreaterThan(0);
  });

  it('replays the events of the given channels after an id still in the log, and reports a gap otherwise', async () => {
    const live = bus();
    await live.publish('project:a', { emit: ['1'] });
    await live.publish('project:b', { emit: ['2'] });
    await live.publish('project:a', { emit: ['3'] });
    const ids = received.map((message) => (message.kind === 'event' ? message.id : ''));
    expect(await live.replay(['project:a'], ids[0])).toEqual([received[2]]);
    expect(await live.replay(['project:a'], ids[2])).toEqual([]);
    await live.publish('project:a', { emit: ['4'] }); // the log keeps 3: the first one is gone
    expect(await live.replay(['project:a'], ids[0])).toBe('gap');
    expect(await live.replay(['project:a'], '1-0')).toBe('gap');
  });
});

describe('event ids', () => {
  it('accepts only our own shape from a browser', () => {
    expect(parseEventId('1700000000000-3')).toBe('1700000000000-3');
    for (const bad of ['', 'abc', '1-', '-1', '1-2-3', ['1-2'], 12, '1'.repeat(20) + '-1'])
      expect(parseEventId(bad)).toBeNull();
  });

  it('orders by time, then sequence', () => {
    expect(compareEventIds('2-0', '1-9')).toBeGreaterThan(0);
    expect(compareEventIds('1-2', '1-10')).toBeLessThan(0);
    expect(compareEventIds('5-5', '5-5')).toBe(0);
  });
});
