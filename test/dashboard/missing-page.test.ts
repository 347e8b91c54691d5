// A hash that opens no page says why: the role may not see it, or there is no such page.
import { describe, expect, it } from 'vitest';
import { missingPageReason } from '../../controller/dashboard/pages/registry';

const pages = [
  { page: 'plans', needs: 'GET /api/plans' },
  { page: 'users', needs: 'GET /api/users' },
];
const viewer = (route: string) => route === 'GET /api/plans';

describe('missingPageReason', () => {
  it('a page the role may not see is forbidden, not missing', () => {
    expect(missingPageReason('users', pages, viewer)).toBe('forbidden');
  });
  it('a page that does not exist is unknown', () => {
    expect(missingPageReason('khong-co', pages, viewer)).toBe('unknown');
    expect(missingPageReason('toString', pages, viewer)).toBe('unknown');
  });
});
