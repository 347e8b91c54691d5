// Ids the dashboard proposes from a name or a slogan (controller/dashboard/plan-data.ts).
import { describe, expect, it } from 'vitest';
import { slugify } from '../../controller/dashboard/plan-data';
import { IdSchema } from '../../playlists/plan';

describe('slugify', () => {
  it('writes Vietnamese without its marks, words joined by hyphens', () => {
    expect(slugify('Khẩu hiệu Đợt I')).toBe('khau-hieu-dot-i');
    expect(slugify('  ĐẢNG CỘNG SẢN VIỆT NAM QUANG VINH MUÔN NĂM!  ')).toBe(
      'dang-cong-san-viet-nam-quang-vinh-muon-nam',
    );
  });

  it('cuts a long text between two words, not inside one', () => {
    const slug = slugify(
      'Nhiệt liệt chào mừng kỷ niệm 90 năm Ngày thành lập Đảng Cộng sản Việt Nam (03/02/1930 - 03/02/2020)',
    );
    expect(slug).toBe('nhiet-liet-chao-mung-ky-niem-90-nam-ngay-thanh');
    expect(slug.length).toBeLessThanOrEqual(48);
    expect(IdSchema.safeParse(slug).success).toBe(true);
    // One word longer than the limit is cut where the limit falls.
    expect(slugify('x'.repeat(60))).toBe('x'.repeat(48));
  });
});
