import { describe, expect, it } from 'vitest';
import { catalog, translator, type MessageKey } from '../../controller/dashboard/i18n';

// Words that are the same in both languages on purpose: the product's name, the names of the
// languages in the language menu, units and codes.
const SAME_IN_BOTH = new Set<string>(['app.name', 'app.language.vi', 'app.language.en']);
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('dashboard strings', () => {
  const keys = Object.keys(catalog.vi) as MessageKey[];

  it('has every key in both languages, none empty', () => {
    expect(Object.keys(catalog.en).sort()).toEqual([...keys].sort());
    for (const key of keys) {
      expect(catalog.vi[key].trim(), key).not.toBe('');
      expect(catalog.en[key].trim(), key).not.toBe('');
    }
  });

  it('keeps Vietnamese text in NFC, as the boards and the store do', () => {
    for (const key of keys) expect(catalog.vi[key], key).toBe(catalog.vi[key].normalize('NFC'));
  });

  it('has the same placeholders in both languages', () => {
    for (const key of keys) {
      expect(placeholders(catalog.vi[key]), key).toEqual(placeholders(catalog.en[key]));
    }
  });

  it('translates every string (no English left in the Vietnamese catalogue)', () => {
    const untranslated = keys.filter(
      (key) =>
        !SAME_IN_BOTH.has(key) &&
        catalog.vi[key] === catalog.en[key] &&
        // Pure symbols, numbers and placeholders read the same in both.
        /[A-Za-z]{2,}/.test(catalog.vi[key].replace(/\{\w+\}/g, '')),
    );
    expect(untranslated).toEqual([]);
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    const t = translator('vi');
    expect(t('unit.seconds', { n: 15 })).toBe('15 giây');
    expect(t('unit.px', { w: 384 })).toBe('384×{h} điểm ảnh');
    expect(translator('en')('unit.seconds', { n: 15 })).toBe('15 s');
  });
});
