// A refusal's headline is the dashboard's own sentence whenever the controller explains it with
// problem codes; the controller's English message shows only for a refusal it does not explain.
import { describe, expect, it } from 'vitest';
import type { ApiFailure } from '../../controller/dashboard/api';
import { failureText } from '../../controller/dashboard/components/ui';
import { translator } from '../../controller/dashboard/i18n';

const vi = translator('vi');
const en = translator('en');

function failure(status: number, code: string, message: string, problemCodes: string[]) {
  return {
    ok: false,
    status,
    code,
    message,
    problems: problemCodes.map((c) => ({ path: '$.body', message: 'in English', code: c })),
  } satisfies ApiFailure;
}

describe('failureText', () => {
  it.each([
    [409, 'conflict', 'user "bientap" exists', ['username_taken']],
    [409, 'conflict', 'only the pending revision you saw can be decided', ['stale_revision']],
    [403, 'forbidden', 'four-eyes: nobody decides on their own changes', ['own_change']],
    [401, 'invalid_credentials', 'the current password is wrong', []],
    [403, 'csrf_failed', 'missing or wrong x-csrf-token header', []],
    [413, 'payload_too_large', 'a banner may be at most 10485760 bytes', []],
    [500, 'internal', 'internal error', []],
  ])('says a %i %s in the user’s language, without the English message', (...args) => {
    const [status, code, message, codes] = args;
    const [inVietnamese, inEnglish] = [vi, en].map((t) =>
      failureText(t, failure(status, code, message, codes)),
    );
    expect(inVietnamese).not.toContain(message);
    expect(inEnglish).not.toContain(`: ${message}`);
    expect(inVietnamese).not.toBe(inEnglish);
  });

  it('quotes the message of a conflict it cannot explain, and says a role’s refusal as such', () => {
    expect(failureText(vi, failure(409, 'conflict', 'something new', []))).toBe(
      'Xung đột: something new',
    );
    expect(failureText(vi, failure(403, 'forbidden', 'the viewer role may not', []))).toBe(
      'Vai trò của bạn không được làm việc này.',
    );
  });
});
