import { describe, expect, it } from 'vitest';
import { shortDetailsText } from '../../controller/dashboard/pages/audit';

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
