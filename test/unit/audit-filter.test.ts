import { describe, expect, it } from 'vitest';
import { AUDIT_GROUPS, auditMatcher, type FilterableEntry } from '../../controller/audit/filter.js';
import { foldText } from '../../playlists/text.js';

const login = (outcome: 'ok' | 'refused', username: string): FilterableEntry => ({
  actor: { kind: 'anonymous', username },
  action: outcome === 'ok' ? 'auth.login' : 'auth.login_failed',
  outcome,
  from: { ip: '203.0.113.9' },
});

const edit: FilterableEntry = {
  actor: { kind: 'user', userId: 'u-2', username: 'bientap', role: 'editor' },
  action: 'content.update',
  target: 'plans/kh-148/content/khau-hieu-1',
  outcome: 'ok',
  details: { text: 'ĐẢNG CỘNG SẢN VIỆT NAM QUANG VINH MUÔN NĂM' },
  from: { ip: '10.0.0.5' },
};

const device: FilterableEntry = {
  actor: { kind: 'device', deviceId: 'dev-7', boardId: 'cua-khau-huu-nghi' },
  action: 'screenshot.take',
  outcome: 'ok',
  from: { ip: '10.0.0.9' },
};

describe('audit filters', () => {
  it('lets everything through when nothing is asked, and says so', () => {
    expect(auditMatcher({})).toBeUndefined();
    expect(auditMatcher({ text: '   ' })).toBeUndefined();
  });

  it('matches an outcome, an action, or a whole group of actions', () => {
    const entries = [login('ok', 'quantri'), login('refused', 'quantri'), edit, device];
    const pick = (filter: Parameters<typeof auditMatcher>[0]) => {
      const match = auditMatcher(filter);
      return entries.filter((e) => !match || match(e)).map((e) => e.action);
    };
    expect(pick({ outcome: 'refused' })).toEqual(['auth.login_failed']);
    expect(pick({ action: 'auth' })).toEqual(['auth.login', 'auth.login_failed']);
    expect(pick({ action: 'auth.login' })).toEqual(['auth.login']);
    // A group is a whole word before the dot: `auth` is not `author`, `content` not `con`.
    expect(pick({ action: 'con' })).toEqual([]);
    expect(pick({ action: 'auth', outcome: 'ok' })).toEqual(['auth.login']);
  });

  it('finds every word of a search, with or without diacritics, in any Unicode form', () => {
    const found = (text: string, entry: FilterableEntry) => auditMatcher({ text })?.(entry);
    expect(found('dang cong san', edit)).toBe(true);
    expect(found('ĐẢNG', edit)).toBe(true);
    expect(found('Đảng'.normalize('NFD'), edit)).toBe(true);
    expect(found('bientap kh-148', edit)).toBe(true);
    expect(found('bientap quantri', edit)).toBe(false);
    expect(found('editor', edit)).toBe(true);
    expect(found('huu-nghi', device)).toBe(true);
    expect(found('device', device)).toBe(true);
    expect(found('203.0.113.9', login('refused', 'x'))).toBe(true);
    expect(found('quantri', login('refused', 'quantri'))).toBe(true);
  });

  it('folds text for searching', () => {
    expect(foldText('Đợt I: Kỷ niệm')).toBe('dot i: ky niem');
    expect(foldText('Đợt'.normalize('NFD'))).toBe('dot');
  });

  it('names each group once, in order', () => {
    expect([...AUDIT_GROUPS].sort()).toEqual([...AUDIT_GROUPS]);
    expect(new Set(AUDIT_GROUPS).size).toBe(AUDIT_GROUPS.length);
  });
});
