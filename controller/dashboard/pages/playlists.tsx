import { useState } from 'preact/hooks';
import type { ApiFailure } from '../api';
import { boardFor, formatMinSec, type AssetInfo } from '../components/content-shared';
import { DataTable, RowButton } from '../components/data-table';
import { PlaylistEditor, loopSeconds } from '../components/playlist-editor';
import {
  DeleteDialog,
  ErrorNotice,
  Loading,
  PageHeader,
  StatusBadge,
  SuccessNotice,
} from '../components/ui';
import { useApiGet } from '../components/use-api';
import { useI18n } from '../i18n';
import { entityPath, usePlan, type PlanWithApproval, type Playlist } from '../plan-data';
import { href, navigate, type Route } from '../router';
import { useSession } from '../session';

/**
 * `#/playlists`: the working plan's playlists; `#/playlists/new` makes one and
 * `#/playlists/edit/<id>` opens one (read-only for roles that may not change it).
 */
export function PlaylistsPage(props: { route: Route }) {
  const { t } = useI18n();
  const session = useSession();
  const plan = usePlan();
  const assets = useApiGet<AssetInfo[]>('/api/assets');
  const [notice, setNotice] = useState<string | null>(null);
  const [boardId, setBoardId] = useState<string | null>(null);

  if (!plan.planId || !plan.data) {
    return (
      <>
        <PageHeader title={t('playlists.title')} />
        {!plan.planId ? (
          <p>{t('app.noPlan')}</p>
        ) : plan.failure ? (
          <ErrorNotice failure={plan.failure} />
        ) : (
          <Loading />
        )}
      </>
    );
  }
  const doc = plan.data;
  const [view, id] = props.route.rest;
  const done = (message: string) => {
    setNotice(message);
    session.changed();
    navigate('playlists');
  };
  const editorProps = {
    doc,
    assets: assets.data ?? [],
    board: boardFor(doc, boardId),
    onBoard: setBoardId,
    onDone: done,
  };
  if (view === 'new' && session.can('POST /api/plans/:planId/playlists')) {
    return <PlaylistEditor key={`new-${doc.plan.id}`} {...editorProps} readOnly={false} />;
  }
  if (view === 'edit' && id !== undefined) {
    const original = doc.playlists.find((p) => p.id === id);
    if (!original) {
      return (
        <>
          <PageHeader title={t('playlists.title')} />
          <p>{t('playlists.missing', { id })}</p>
          <a href={href('playlists')}>{t('playlists.back')}</a>
        </>
      );
    }
    return (
      <PlaylistEditor
        key={`${doc.plan.id}/${id}`}
        {...editorProps}
        original={original}
        readOnly={!session.can('PUT /api/plans/:planId/playlists/:id')}
      />
    );
  }
  return <PlaylistList doc={doc} notice={notice} onNotice={setNotice} />;
}

function PlaylistList(props: {
  doc: PlanWithApproval;
  notice: string | null;
  onNotice: (text: string | null) => void;
}) {
  const { t } = useI18n();
  const session = useSession();
  const { doc } = props;
  const [deleting, setDeleting] = useState<Playlist | null>(null);
  const [failure, setFailure] = useState<{ failure: ApiFailure; title: string } | null>(null);
  const canCreate = session.can('POST /api/plans/:planId/playlists');
  const canEdit = session.can('PUT /api/plans/:planId/playlists/:id');
  const canDelete = session.can('DELETE /api/plans/:planId/playlists/:id');
  const approval = doc.approval.playlists ?? {};
  const schedulesOf = (id: string) => doc.schedules.filter((s) => s.playlist === id);

  const remove = async (playlist: Playlist) => {
    setDeleting(null);
    setFailure(null);
    props.onNotice(null);
    const result = await session.api.request(
      'DELETE',
      entityPath(doc.plan.id, 'playlists', playlist.id),
    );
    if (!result.ok) {
      setFailure({
        failure: result,
        title: t('playlists.delete.refused', { name: playlist.name }),
      });
      return;
    }
    props.onNotice(t('playlists.deleted', { name: playlist.name }));
    session.changed();
  };
  const usedBy = deleting ? schedulesOf(deleting.id) : [];

  return (
    <>
      <PageHeader title={t('playlists.title')}>
        {canCreate ? (
          <div class="content-header-actions">
            <a
              class="button content-primary"
              href={href('playlists/new')}
              data-testid="new-playlist"
            >
              {t('playlists.new')}
            </a>
          </div>
        ) : null}
      </PageHeader>
      <p class="hint">{t('playlists.intro', { code: doc.plan.code ?? doc.plan.id })}</p>
      <SuccessNotice text={props.notice} />
      {failure ? <ErrorNotice failure={failure.failure} title={failure.title} /> : null}
      <section aria-labelledby="playlists-list-title">
        <h2 id="playlists-list-title">{t('playlists.list')}</h2>
        {doc.playlists.length === 0 ? (
          <p>{t('playlists.empty')}</p>
        ) : (
          <DataTable
            wrapClass="content-table-wrap"
            testId="playlists-table"
            rows={doc.playlists}
            rowKey={(p) => p.id}
            rowAttributes={(p) => ({ 'data-playlist': p.id })}
            columns={[
              {
                header: t('playlists.col.name'),
                cell: (p) => (
                  <>
                    <a href={href(`playlists/edit/${encodeURIComponent(p.id)}`)}>{p.name}</a>
                    <br />
                    <code class="content-id">{p.id}</code>
                  </>
                ),
              },
              {
                header: t('playlists.col.items'),
                class: 'content-num',
                cell: (p) => p.items.length,
              },
              {
                header: t('playlists.col.loop'),
                class: 'content-num',
                cell: (p) =>
                  t('playlists.loopShort', { mss: formatMinSec(loopSeconds(doc, p.items)) }),
              },
              {
                header: t('playlists.col.status'),
                cell: (p) => {
                  const state = approval[p.id];
                  return state ? <StatusBadge status={state.status} /> : null;
                },
              },
              {
                header: t('playlists.col.schedules'),
                class: 'content-num',
                cell: (p) => schedulesOf(p.id).length,
              },
            ]}
            actions={{
              header: t('playlists.col.actions'),
              cell: (p) => (
                <>
                  <a
                    class="button small"
                    href={href(`playlists/edit/${encodeURIComponent(p.id)}`)}
                    aria-label={
                      canEdit
                        ? t('playlists.editOf', { name: p.name })
                        : t('playlists.viewOf', { name: p.name })
                    }
                  >
                    {canEdit ? t('action.edit') : t('playlists.view')}
                  </a>
                  {canDelete ? (
                    <RowButton
                      label={t('action.delete')}
                      name={t('playlists.deleteOf', { name: p.name })}
                      onClick={() => {
                        setDeleting(p);
                      }}
                    />
                  ) : null}
                </>
              ),
            }}
          />
        )}
      </section>
      <DeleteDialog
        item={deleting}
        title={t('playlists.delete.title')}
        message={(p) =>
          `${t('confirm.delete', { name: p.name })}${
            usedBy.length > 0
              ? ` ${t('playlists.delete.used', { n: usedBy.length, ids: usedBy.map((s) => s.id).join(', ') })}`
              : ''
          }`
        }
        onDelete={(p) => void remove(p)}
        onCancel={() => {
          setDeleting(null);
        }}
      />
    </>
  );
}
