// A plan's text is what boards draw: invisible characters pasted from a word processor (zero
// widths, bidirectional overrides, controls) are taken out wherever a plan is parsed, so a
// slogan of nothing visible is refused as empty and a right-to-left override never reaches a
// board; Vietnamese text, line breaks and tabs are kept, in NFC.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanText, validatePlan } from '../../playlists/index.js';
import { buildPlan } from '../helpers/plan-builder.js';

describe('cleanText', () => {
  it('takes out zero widths, the soft hyphen, the byte-order mark and bidirectional controls', () => {
    expect(cleanText('\u200B\u200C\u200D\u2060\uFEFF')).toBe('');
    expect(cleanText('HÀ \u202ENỘI')).toBe('HÀ NỘI');
    expect(cleanText('\u2067ĐẢNG\u2069 \u200ECỘNG\u200F SẢN\u061C')).toBe('ĐẢNG CỘNG SẢN');
    expect(cleanText('BẢO\u00AD VỆ')).toBe('BẢO VỆ');
  });

  it('takes out controls but keeps tab, line feed and carriage return', () => {
    expect(cleanText('A\u0000B\u001BC\u007FD\u0085E')).toBe('ABCDE');
    expect(cleanText('dòng 1\r\ndòng 2\tcột')).toBe('dòng 1\r\ndòng 2\tcột');
  });

  it('replaces a lone surrogate, keeps a pair', () => {
    expect(cleanText('a\uD800b')).toBe('a\uFFFDb');
    expect(cleanText('a\uDC00')).toBe('a\uFFFD');
    expect(cleanText('cờ \uD83C\uDDFB\uD83C\uDDF3')).toBe('cờ 🇻🇳');
  });

  it('composes to NFC', () => {
    expect(cleanText('Ha\u0300 No\u0302\u0323i')).toBe('Hà Nội');
  });

  it('leaves text without such characters as it is (NFC)', () => {
    // Vietnamese letters of both cases, digits, punctuation, spaces, line breaks and tabs. (A
    // range such as À-ỹ would also take in Arabic's format characters, U+0600 and on.)
    const lower =
      'aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ';
    const graphemes = (text: string) =>
      Array.from(
        new Intl.Segmenter('vi', { granularity: 'grapheme' }).segment(text),
        (g) => g.segment,
      );
    const chars = graphemes(`${lower}${lower.toUpperCase()}0123456789 ,.!?:;-–—“”()/\n\t`);
    const vietnamese = fc.array(fc.constantFrom(...chars)).map((c) => c.join(''));
    fc.assert(
      fc.property(vietnamese, (text) => {
        expect(cleanText(text)).toBe(text.normalize('NFC'));
      }),
      { numRuns: 500 },
    );
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(cleanText(cleanText(text))).toBe(cleanText(text));
      }),
    );
  });
});

describe('a plan with invisible characters', () => {
  it('refuses a slogan of nothing visible as empty', () => {
    const doc = buildPlan({
      content: [{ id: 'rong', kind: 'slogan', text: '\u200B\u200C\u200D\u2060' }],
    });
    const result = validatePlan(doc);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toContainEqual(
      expect.objectContaining({ path: '$.content[7].text', code: 'empty_text' }),
    );
  });

  it('stores slogans, announcements and names without them', () => {
    const doc = buildPlan({
      content: [{ id: 'rtl', kind: 'slogan', text: 'MỪNG \u202EĐẢNG\u0000' }],
      announcements: [
        {
          id: 'tb',
          text: '\uFEFFTHÔNG BÁO\u200B',
          from: '2026-03-28T08:00:00+07:00',
          to: '2026-03-28T09:00:00+07:00',
        },
      ],
    });
    doc.plan.title = 'Kế\u00AD hoạch\u202E';
    const result = validatePlan(doc);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const text = (id: string) => {
      const c = result.plan.content.find((x) => x.id === id);
      return c?.kind === 'slogan' ? c.text : undefined;
    };
    expect(text('rtl')).toBe('MỪNG ĐẢNG');
    expect(result.plan.announcements[0]?.text).toBe('THÔNG BÁO');
    expect(result.plan.plan.title).toBe('Kế hoạch');
  });
});
