// Dates typed by hand keep the phase only while they are still the phase's own dates.
import { describe, expect, it } from 'vitest';
import { withDatesTyped } from '../../controller/dashboard/components/report-format';

const phases = [{ id: 'dot-1', from: '2030-01-01', to: '2030-01-10' }];
const chosen = { planId: 'e2e', phaseId: 'dot-1', from: '2030-01-01', to: '2030-01-10' };

describe('withDatesTyped', () => {
  it('drops the phase once the dates are not the phase’s', () => {
    expect(withDatesTyped(chosen, { from: '2030-01-03' }, phases)).toEqual({
      ...chosen,
      phaseId: '',
      from: '2030-01-03',
    });
    expect(withDatesTyped(chosen, { to: '2030-02-01' }, phases).phaseId).toBe('');
  });
  it('keeps it while they are, and leaves no phase alone', () => {
    expect(withDatesTyped(chosen, { to: '2030-01-10' }, phases)).toEqual(chosen);
    const none = { ...chosen, phaseId: '' };
    expect(withDatesTyped(none, { from: '2030-01-02' }, phases)).toEqual({
      ...none,
      from: '2030-01-02',
    });
  });
});
