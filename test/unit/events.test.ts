import { describe, expect, it } from 'vitest';
import { EventBus } from '../../controller/events.js';

const published = {
  type: 'release:published',
  version: 2,
  hash: 'h',
  atMs: 0,
  boardIds: ['a'],
} as const;

describe('EventBus', () => {
  it('calls listeners in the order they came, a `first` one before all, until unsubscribed', () => {
    const bus = new EventBus();
    const calls: string[] = [];
    bus.on('release:published', () => calls.push('jobs'));
    const offMonitor = bus.on('release:published', () => calls.push('monitor'));
    bus.on('release:published', (event) => calls.push(`push ${event.version}`), { first: true });
    bus.on('blank:changed', () => calls.push('blank'));

    bus.emit(published);
    expect(calls).toEqual(['push 2', 'jobs', 'monitor']);

    offMonitor();
    calls.length = 0;
    bus.emit(published);
    expect(calls).toEqual(['push 2', 'jobs']);
  });
});
