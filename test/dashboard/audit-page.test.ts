import { describe, expect, it } from 'vitest';
import { translator } from '../../controller/dashboard/i18n';
import { actionLabel, detailsText, shortDetailsText } from '../../controller/dashboard/pages/audit';

describe("the audit page's details", () => {
  it('cuts each long list to three items and a count of the rest', () => {
    const items = Array.from({ length: 70 }, (_, i) => `content/s${String(i)}`);
    expect(shortDetailsText({ items, count: 70 })).toBe(
      'items: ["content/s0","content/s1","content/s2",… +67]; count: 70',
    );
    expect(shortDetailsText({ fields: ['a', 'b', 'c'] })).toBe('fields: ["a","b","c"]');
  });

  it('cuts what is still too long, and says so', () => {
    const text = shortDetailsText({ note: 'Đ'.repeat(1000) });
    expect(text).toHaveLength(240);
    expect(text.endsWith('…')).toBe(true);
  });
});

describe("the audit page's instants and actions", () => {
  const zone = 'Asia/Ho_Chi_Minh';
  it('writes instants in details in the page’s zone, day first, also inside lists and objects', () => {
    expect(detailsText({ to: '2021-01-25T01:14:55.126Z', version: 3 }, zone)).toBe(
      'to: 25/01/2021 08:14:55; version: 3',
    );
    expect(detailsText({ window: { from: '2021-01-24T17:00:00Z' } }, zone)).toBe(
      'window: {"from":"25/01/2021 00:00:00"}',
    );
    expect(shortDetailsText({ at: ['2021-01-25T01:14:55Z', 'x', 'y', 'z'] }, zone)).toBe(
      'at: ["25/01/2021 08:14:55","x","y",… +1]',
    );
    // A word that only looks like a date is left alone.
    expect(detailsText({ id: '2021-01-25', note: 'T01:14' }, zone)).toBe(
      'id: 2021-01-25; note: T01:14',
    );
  });

  it('names actions in the user’s language, and leaves an unknown one to its code', () => {
    const vi = translator('vi');
    const en = translator('en');
    expect(actionLabel(vi, 'auth.login')).toBe('Đăng nhập');
    expect(actionLabel(en, 'auth.login')).toBe('Log in');
    expect(actionLabel(vi, 'content.update')).toBe('Sửa nội dung');
    expect(actionLabel(en, 'schedule.delete')).toBe('Delete schedule');
    expect(actionLabel(vi, 'release.publish')).toBe('Phát hành');
    expect(actionLabel(vi, 'something.new')).toBeUndefined();
    expect(actionLabel(vi, 'toString')).toBeUndefined();
  });
});
