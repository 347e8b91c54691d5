import { useState } from 'preact/hooks';
import type { ApiFailure } from '../api';
import { DataTable, RowButton } from '../components/data-table';
import { ScheduleDayView } from '../components/schedule-day-view';
import { ScheduleEditor } from '../components/schedule-editor';
import {
  datesText,
  hoursText,
  targetsBoard,
  targetsText,
  weekdaysText,
} from '../components/schedule-format';
import {
  BoardSelect,
  DeleteDialog,
  ErrorNotice,
  Loading,
  PageHeader,
  StatusBadge,
  SuccessNotice,
} from '../components/ui';
import { useI18n } from '../i18n';
import { entityPath, usePlan, type PlanWithApproval, type Schedule } from '../plan-data';
import type { Route } from '../router';
import { useSession } from '../session';

/** `#/schedules`: the working plan's schedules, their editor, and one board's day. */
export function SchedulesPage(props: { route: Route }) {
  const { t } = useI18n();
  const session = useSession();
  const plan = usePlan();
  const [editing, setEditing] = useState<Schedule | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Schedule | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [failure, setFailure] = useState<ApiFailure | undefined>();
  const canCreate = session.can('POST /api/plans/:planId/schedules');
  const doc = plan.data;

  const remove = async (schedule: Schedule) => {
    if (!doc) return;
    setDeleting(null);
    setFailure(undefined);
    const result = await session.api.request(
      'DELETE',
      entityPath(doc.plan.id, 'schedules', schedule.id),
    );
    if (!result.ok) {
      setFailure(result);
      return;
    }
    setDone(t('schedules.deleted', { id: schedule.id }));
    session.changed();
  };

  return (
    <div class="schedules-page">
      <PageHeader title={t('schedules.title')}>
        {doc ? (
          <button
            type="button"
            onClick={() => {
              document.getElementById('schedules-day')?.scrollIntoView({ behavior: 'smooth' });
            }}
          >
            {t('schedules.toDay')}
          </button>
        ) : null}
        {canCreate && doc ? (
          <button
            type="button"
            class="primary"
            disabled={doc.playlists.length === 0}
            onClick={() => {
              setDone(null);
              setEditing('new');
            }}
          >
            {t('schedules.new')}
          </button>
        ) : null}
      </PageHeader>
      {plan.loading && !doc ? <Loading /> : null}
      <ErrorNotice failure={plan.failure} />
      {!session.planId ? <p>{t('app.noPlan')}</p> : null}
      <SuccessNotice text={done} />
      <ErrorNotice failure={failure} />
      {doc ? (
        <>
          <ScheduleList
            doc={doc}
            onEdit={(s) => {
              setDone(null);
              setEditing(s);
            }}
            onDelete={(s) => {
              setDone(null);
              setDeleting(s);
            }}
          />
          <ScheduleDayView
            key={doc.plan.id}
            doc={doc}
            initialBoard={props.route.params.get('board')}
            initialDate={props.route.params.get('date')}
          />
          {editing ? (
            <ScheduleEditor
              doc={doc}
              schedule={editing === 'new' ? null : editing}
              onClose={(saved) => {
                setEditing(null);
                if (saved) {
                  setDone(t('schedules.saved', { id: saved.id }));
                  session.changed();
                }
              }}
            />
          ) : null}
          <DeleteDialog
            item={deleting}
            title={t('schedules.delete.title')}
            message={(s) => t('confirm.delete', { name: s.id })}
            onDelete={(s) => void remove(s)}
            onCancel={() => {
              setDeleting(null);
            }}
          />
        </>
      ) : null}
    </div>
  );
}

function ScheduleList(props: {
  doc: PlanWithApproval;
  onEdit: (s: Schedule) => void;
  onDelete: (s: Schedule) => void;
}) {
  const { t } = useI18n();
  const session = useSession();
  const { doc } = props;
  const [boardFilter, setBoardFilter] = useState('');
  const canEdit = session.can('PUT /api/plans/:planId/schedules/:id');
  const canDelete = session.can('DELETE /api/plans/:planId/schedules/:id');
  const filterBoard = doc.boards.find((b) => b.id === boardFilter);
  const shown = filterBoard
    ? doc.schedules.filter((s) => targetsBoard(s.boards, filterBoard))
    : doc.schedules;
  const playlistName = (id: string) => doc.playlists.find((p) => p.id === id)?.name ?? id;
  return (
    <section aria-labelledby="schedules-list">
      <h2 id="schedules-list">
        {t('schedules.list', { code: doc.plan.code ?? doc.plan.id, n: doc.schedules.length })}
      </h2>
      <div class="toolbar">
        <BoardSelect
          label={t('schedules.filter')}
          anyLabel={t('schedules.filter.all')}
          boards={doc.boards}
          value={boardFilter}
          onChange={setBoardFilter}
        />
        <p class="hint">{t('schedules.order')}</p>
      </div>
      {shown.length === 0 ? (
        <p>{t('empty')}</p>
      ) : (
        <DataTable
          wrapClass="schedule-scroll"
          tableClass="schedule-table"
          testId="schedules-table"
          rows={shown}
          rowKey={(s) => s.id}
          rowAttributes={(s) => ({ 'data-schedule': s.id })}
          columns={[
            {
              header: t('schedules.col.schedule'),
              rowHeader: true,
              class: 'schedule-name',
              cell: (s) => (
                <>
                  <span>{playlistName(s.playlist)}</span>
                  <code class="schedule-id">{s.id}</code>
                </>
              ),
            },
            {
              header: t('schedules.col.when'),
              cell: (s) => (
                <>
                  <div>{datesText(t, s, doc.phases)}</div>
                  {s.on ? <div>{t('schedules.onList', { days: s.on.join(', ') })}</div> : null}
                  {s.weekdays ? <div>{weekdaysText(t, s.weekdays)}</div> : null}
                  <div>{hoursText(t, s.hours)}</div>
                </>
              ),
            },
            {
              header: t('schedules.col.targets'),
              cell: (s) => targetsText(t, s.boards, doc.boards),
            },
            {
              header: t('schedules.col.priority'),
              class: 'schedule-num',
              cell: (s) => s.priority ?? 0,
            },
            {
              header: t('schedules.col.status'),
              cell: (s) => {
                const approval = doc.approval.schedules?.[s.id];
                return approval ? <StatusBadge status={approval.status} /> : null;
              },
            },
          ]}
          actions={
            canEdit || canDelete
              ? {
                  header: t('schedules.col.actions'),
                  cell: (s) => (
                    <>
                      {canEdit ? (
                        <RowButton
                          label={t('action.edit')}
                          name={t('schedules.edit', { id: s.id })}
                          onClick={() => {
                            props.onEdit(s);
                          }}
                        />
                      ) : null}
                      {canDelete ? (
                        <RowButton
                          label={t('action.delete')}
                          name={t('schedules.delete', { id: s.id })}
                          onClick={() => {
                            props.onDelete(s);
                          }}
                        />
                      ) : null}
                    </>
                  ),
                }
              : undefined
          }
        />
      )}
    </section>
  );
}
