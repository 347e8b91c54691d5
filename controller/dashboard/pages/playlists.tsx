import { useState } from 'preact/hooks';
import type { ApiFailure } from '../api';
import { boardFor, formatMinSec, type AssetInfo } from '../components/content-shared';
import { PlaylistEditor, loopSeconds } from '../components/playlist-editor';
import {
  ConfirmDialog,
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
          <div class="content-table-wrap">
            <table class="table" data-testid="playlists-table">
              <thead>
                <tr>
                  <th scope="col">{t('playlists.col.name')}</th>
                  <th scope="col">{t('playlists.col.items')}</th>
                  <th scope="col">{t('playlists.col.loop')}</th>
                  <th scope="col">{t('playlists.col.status')}</th>
                  <th scope="col">{t('playlists.col.schedules')}</th>
                  <th scope="col">
                    <span class="sr-only">{t('playlists.col.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {doc.playlists.map((p) => {
                  const state = approval[p.id];
                  const seconds = loopSeconds(doc, p.items);
                  const schedules = schedulesOf(p.id);
                  return (
                    <tr key={p.id} data-playlist={p.id}>
                      <td>
                        <a href={href(`playlists/edit/${encodeURIComponent(p.id)}`)}>{p.name}</a>
                        <br />
                        <code class="content-id">{p.id}</code>
                      </td>
                      <td class="content-num">{p.items.length}</td>
                      <td class="content-num">
                        {t('playlists.loopShort', { mss: formatMinSec(seconds) })}
                      </td>
                      <td>{state ? <StatusBadge status={state.status} /> : null}</td>
                      <td class="content-num">{schedules.length}</td>
                      <td>
                        <div class="row-actions">
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
                            <button
                              type="button"
                              class="small"
                              aria-label={t('playlists.deleteOf', { name: p.name })}
                              onClick={() => {
                                setDeleting(p);
                              }}
                            >
                              {t('action.delete')}
                            </button>
                          ) : null}
                        </div>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <ConfirmDialog
        open={deleting !== null}
        title={t('playlists.delete.title')}
        message={
          deleting
            ? `${t('confirm.delete', { name: deleting.name })}${
                usedBy.length > 0
                  ? ` ${t('playlists.delete.used', { n: usedBy.length, ids: usedBy.map((s) => s.id).join(', ') })}`
                  : ''
              }`
            : ''
        }
        confirmLabel={t('action.delete')}
        danger
        onConfirm={() => {
          if (deleting) void remove(deleting);
        }}
        onCancel={() => {
          setDeleting(null);
        }}
      />
    </>
  );
}
