import { describe, expect, it } from 'vitest';
import {
  parentChoices,
  phaseDeleteBlockers,
  phaseDraftProblems,
  planBody,
  planDraftProblems,
  planPatch,
  timeZoneChoices,
  type PlanDraft,
} from '../../controller/dashboard/components/plan-format';
import type { Phase, PlanDocument } from '../../controller/dashboard/plan-data';

const phases: Phase[] = [
  { id: 'dot-1', name: 'Đợt I', from: '2030-01-01', to: '2030-06-30' },
  { id: 'dot-1a', name: 'Cao điểm', from: '2030-02-01', to: '2030-02-15', parent: 'dot-1' },
  { id: 'dot-1a-x', name: 'Tết', from: '2030-02-03', to: '2030-02-05', parent: 'dot-1a' },
  { id: 'dot-2', name: 'Đợt II', from: '2030-07-01', to: '2030-12-31' },
];

const plan: PlanDraft = {
  id: 'kh-12',
  title: 'Kế hoạch 12',
  code: '',
  issuer: '',
  timeZone: 'Asia/Ho_Chi_Minh',
  note: '',
};
const zones = ['Asia/Ho_Chi_Minh', 'Europe/Berlin'];

describe('the plan form', () => {
  it('lists the common time zones first, Vietnam first, then the others once, sorted', () => {
    const { common, others } = timeZoneChoices([
      'Europe/Berlin',
      'Asia/Ho_Chi_Minh',
      'Africa/Abidjan',
    ]);
    expect(common[0]).toBe('Asia/Ho_Chi_Minh');
    expect(others).toEqual(['Africa/Abidjan', 'Europe/Berlin']);
  });

  it('accepts a good header and says, by field, what is wrong with a bad one', () => {
    expect(planDraftProblems(plan, { isNew: true, takenIds: [], zones })).toEqual([]);
    const bad = {
      ...plan,
      id: 'kế hoạch',
      title: '  ',
      timeZone: 'Asia/Hanoi',
      code: 'x'.repeat(101),
    };
    expect(
      planDraftProblems(bad, { isNew: true, takenIds: [], zones }).map((p) => [p.path, p.key]),
    ).toEqual([
      ['id', 'plans.err.id'],
      ['title', 'plans.err.title'],
      ['code', 'plans.err.tooLong'],
      ['timeZone', 'plans.err.timeZone'],
    ]);
    expect(planDraftProblems(plan, { isNew: true, takenIds: ['kh-12'], zones })).toEqual([
      { path: 'id', key: 'plans.err.idTaken', params: { id: 'kh-12' } },
    ]);
    // An existing plan keeps its id: it is not checked against itself.
    expect(planDraftProblems(plan, { isNew: false, takenIds: ['kh-12'], zones })).toEqual([]);
  });

  it('creates with the optional fields left out when empty, and patches only what changed', () => {
    expect(planBody({ ...plan, code: ' 12-KH/UBND ' })).toEqual({
      id: 'kh-12',
      title: 'Kế hoạch 12',
      timeZone: 'Asia/Ho_Chi_Minh',
      code: '12-KH/UBND',
    });
    const current = {
      id: 'kh-12',
      title: 'Kế hoạch 12',
      code: '12-KH',
      timeZone: 'Asia/Ho_Chi_Minh',
    };
    expect(planPatch({ ...plan, title: 'Kế hoạch 12 (sửa)', issuer: 'UBND' }, current)).toEqual({
      title: 'Kế hoạch 12 (sửa)',
      code: '',
      issuer: 'UBND',
    });
  });
});

describe('the phase form', () => {
  const draft = {
    id: 'dot-3',
    name: 'Đợt III',
    from: '2031-01-01',
    to: '2031-03-31',
    parent: '',
    note: '',
  };

  it('checks the id, the name, the dates in order and a sub-phase inside its parent', () => {
    expect(phaseDraftProblems(draft, { isNew: true, phases })).toEqual([]);
    expect(
      phaseDraftProblems(
        { ...draft, id: 'dot-1', name: '', from: '2031-04-01' },
        { isNew: true, phases },
      ).map((p) => [p.path, p.key]),
    ).toEqual([
      ['id', 'plans.err.phaseTaken'],
      ['name', 'plans.err.phaseName'],
      ['to', 'plans.err.toBeforeFrom'],
    ]);
    expect(
      phaseDraftProblems(
        { ...draft, parent: 'dot-1a', from: '2030-01-31', to: '2030-02-16' },
        { isNew: true, phases },
      ),
    ).toEqual([
      {
        path: 'from',
        key: 'plans.err.beforeParent',
        params: { parent: 'Cao điểm', date: '2030-02-01' },
      },
      {
        path: 'to',
        key: 'plans.err.afterParent',
        params: { parent: 'Cao điểm', date: '2030-02-15' },
      },
    ]);
    expect(
      phaseDraftProblems({ ...draft, from: '', to: '' }, { isNew: true, phases }).map(
        (p) => p.path,
      ),
    ).toEqual(['from', 'to']);
  });

  it('offers as parent any phase but the phase itself and those inside it', () => {
    expect(parentChoices(phases, null).map((p) => p.id)).toEqual(phases.map((p) => p.id));
    expect(parentChoices(phases, 'dot-1').map((p) => p.id)).toEqual(['dot-2']);
    expect(parentChoices(phases, 'dot-1a').map((p) => p.id)).toEqual(['dot-1', 'dot-2']);
  });

  it("names the schedules and sub-phases behind the controller's refusal to delete a phase", () => {
    const doc = {
      phases,
      schedules: [
        { id: 'sc-a', playlist: 'p1', from: '2030-01-01' },
        { id: 'sc-b', playlist: 'p1', phase: 'dot-1a' },
      ],
    } as unknown as PlanDocument;
    // As the controller answers DELETE .../phases/dot-1a: paths into the plan after the delete.
    const problems = [
      { path: '$.schedules[1].phase', code: 'unknown_ref' },
      { path: '$.phases[1].parent', code: 'unknown_ref' },
    ];
    expect(phaseDeleteBlockers(doc, 'dot-1a', problems)).toEqual({
      schedules: [doc.schedules[1]],
      subPhases: [phases[2]],
    });
    expect(phaseDeleteBlockers(doc, 'dot-1a', [{ path: '$.plan', code: 'custom' }])).toBeNull();
  });
});
