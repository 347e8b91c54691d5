import { useMemo, useState } from 'preact/hooks';
import { foldText } from '../../../playlists/text';
import type { ApiFailure } from '../api';
import { BannerEditor } from '../components/content-banner-editor';
import { BulkImport } from '../components/content-bulk-import';
import { DataTable, RowButton } from '../components/data-table';
import {
  BoardPicker,
  ContentPreview,
  boardFor,
  contentName,
  defaultSeconds,
  findAsset,
  assetUrl,
  formatNumber,
  playlistsUsing,
  type AssetInfo,
} from '../components/content-shared';
import { SloganEditor } from '../components/content-slogan-editor';
import {
  DeleteDialog,
  Dialog,
  ErrorNotice,
  Loading,
  PageHeader,
  StatusBadge,
  SuccessNotice,
} from '../components/ui';
import { useApiGet } from '../components/use-api';
import { useI18n } from '../i18n';
import {
  entityPath,
  usePlan,
  type Content,
  type PlanWithApproval,
  type Playlist,
} from '../plan-data';
import { href, navigate, type Route } from '../router';
import { useSession } from '../session';

type KindFilter = 'all' | Content['kind'];
type StatusFilter = 'all' | 'draft' | 'pending' | 'approved' | 'rejected';

/**
 * `#/content`: the working plan's slogans and banners. `#/content/new` writes a slogan,
 * `#/content/banner` adds a banner, `#/content/import` creates slogans from an official list,
 * `#/content/edit/<id>` changes one.
 */
export function ContentPage(props: { route: Route }) {
  const { t } = useI18n();
  const session = useSession();
  const plan = usePlan();
  const assets = useApiGet<AssetInfo[]>('/api/assets');
  const [notice, setNotice] = useState<string | null>(null);
  const [boardId, setBoardId] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const [kind, setKind] = useState<KindFilter>('all');
  const [status, setStatus] = useState<StatusFilter>('all');

  if (!plan.planId) {
    return (
      <>
        <PageHeader title={t('content.title')} />
        <p>{t('app.noPlan')}</p>
      </>
    );
  }
  if (!plan.data) {
    return (
      <>
        <PageHeader title={t('content.title')} />
        {plan.failure ? <ErrorNotice failure={plan.failure} /> : <Loading />}
      </>
    );
  }
  const doc = plan.data;
  const board = boardFor(doc, boardId);
  const assetList = assets.data ?? [];
  const done = (message: string) => {
    setNotice(message);
    session.changed();
    navigate('content');
  };
  const editorProps = {
    doc,
    assets: assetList,
    board,
    onBoard: setBoardId,
    onDone: done,
  };
  const [view, id] = props.route.rest;

  if (view === 'new' && session.can('POST /api/plans/:planId/content')) {
    return <SloganEditor key={`new-${doc.plan.id}`} {...editorProps} />;
  }
  if (view === 'banner' && session.can('POST /api/plans/:planId/content')) {
    return (
      <BannerEditor key={`banner-${doc.plan.id}`} {...editorProps} reloadAssets={assets.reload} />
    );
  }
  if (view === 'import' && session.can('POST /api/plans/:planId/content')) {
    return <BulkImport key={`import-${doc.plan.id}`} doc={doc} onDone={done} />;
  }
  if (view === 'edit' && id !== undefined && session.can('PUT /api/plans/:planId/content/:id')) {
    const original = doc.content.find((c) => c.id === id);
    if (!original) {
      return (
        <>
          <PageHeader title={t('content.title')} />
          <p>{t('content.missing', { id })}</p>
          <a href={href('content')}>{t('content.back')}</a>
        </>
      );
    }
    return original.kind === 'slogan' ? (
      <SloganEditor key={`${doc.plan.id}/${id}`} {...editorProps} original={original} />
    ) : (
      <BannerEditor
        key={`${doc.plan.id}/${id}`}
        {...editorProps}
        original={original}
        reloadAssets={assets.reload}
      />
    );
  }
  return (
    <ContentList
      doc={doc}
      assets={assetList}
      notice={notice}
      onNotice={setNotice}
      boardId={board.id}
      onBoard={setBoardId}
      filters={{ query, kind, status }}
      onFilters={(f) => {
        setQuery(f.query);
        setKind(f.kind);
        setStatus(f.status);
      }}
    />
  );
}

interface Filters {
  query: string;
  kind: KindFilter;
  status: StatusFilter;
}

function ContentList(props: {
  doc: PlanWithApproval;
  assets: AssetInfo[];
  notice: string | null;
  onNotice: (text: string | null) => void;
  boardId: string;
  onBoard: (id: string) => void;
  filters: Filters;
  onFilters: (f: Filters) => void;
}) {
  const { t, locale } = useI18n();
  const session = useSession();
  const { doc, assets, filters } = props;
  const [previewing, setPreviewing] = useState<Content | null>(null);
  const [deleting, setDeleting] = useState<Content | null>(null);
  const [failure, setFailure] = useState<{
    failure: ApiFailure;
    title: string;
    usedBy: Playlist[];
  } | null>(null);
  const canCreate = session.can('POST /api/plans/:planId/content');
  const canEdit = session.can('PUT /api/plans/:planId/content/:id');
  const canDelete = session.can('DELETE /api/plans/:planId/content/:id');
  const approval = doc.approval.content ?? {};

  const shown = useMemo(() => {
    const words = foldText(filters.query).split(/\s+/).filter(Boolean);
    return doc.content.filter((c) => {
      if (filters.kind !== 'all' && c.kind !== filters.kind) return false;
      if (filters.status !== 'all' && approval[c.id]?.status !== filters.status) return false;
      const haystack = foldText(`${c.id} ${c.kind === 'slogan' ? c.text : c.asset}`);
      return words.every((w) => haystack.includes(w));
    });
  }, [doc, filters]);

  const remove = async (content: Content) => {
    setDeleting(null);
    setFailure(null);
    props.onNotice(null);
    const result = await session.api.request(
      'DELETE',
      entityPath(doc.plan.id, 'content', content.id),
    );
    if (!result.ok) {
      setFailure({
        failure: result,
        title: t('content.delete.refused', { name: contentName(content, 40) }),
        usedBy: playlistsUsing(doc, content.id),
      });
      return;
    }
    props.onNotice(t('content.deleted', { name: contentName(content, 40) }));
    session.changed();
  };

  const usedBy = deleting ? playlistsUsing(doc, deleting.id) : [];

  return (
    <>
      <PageHeader title={t('content.title')}>
        {canCreate ? (
          <div class="content-header-actions">
            <a class="button content-primary" href={href('content/new')} data-testid="new-slogan">
              {t('content.newSlogan')}
            </a>
            <a class="button" href={href('content/banner')} data-testid="new-banner">
              {t('content.newBanner')}
            </a>
            <a class="button" href={href('content/import')} data-testid="import-slogans">
              {t('content.import')}
            </a>
          </div>
        ) : null}
      </PageHeader>
      <p class="hint">{t('content.intro', { code: doc.plan.code ?? doc.plan.id })}</p>
      <SuccessNotice text={props.notice} />
      {failure ? (
        <div data-testid="content-delete-refused">
          {failure.usedBy.length > 0 ? (
            <div class="notice notice-warn">
              <p>{t('content.delete.usedHelp')}</p>
              <ul>
                {failure.usedBy.map((p) => (
                  <li key={p.id}>
                    <a href={href(`playlists/edit/${encodeURIComponent(p.id)}`)}>{p.name}</a>
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
          <ErrorNotice failure={failure.failure} title={failure.title} />
        </div>
      ) : null}
      <section aria-labelledby="content-list-title" data-testid="content-list">
        <h2 id="content-list-title">{t('content.list')}</h2>
        <div class="content-filters" role="search">
          <label class="content-search">
            <span>{t('content.search')}</span>
            <input
              type="search"
              value={filters.query}
              placeholder={t('content.search.placeholder')}
              data-testid="content-search"
              onInput={(e) => {
                props.onFilters({ ...filters, query: e.currentTarget.value });
              }}
            />
          </label>
          <label>
            <span>{t('content.filter.kind')}</span>
            <select
              value={filters.kind}
              onChange={(e) => {
                props.onFilters({ ...filters, kind: e.currentTarget.value as KindFilter });
              }}
            >
              <option value="all">{t('content.filter.all')}</option>
              <option value="slogan">{t('content.kind.slogan')}</option>
              <option value="banner">{t('content.kind.banner')}</option>
            </select>
          </label>
          <label>
            <span>{t('content.filter.status')}</span>
            <select
              value={filters.status}
              onChange={(e) => {
                props.onFilters({ ...filters, status: e.currentTarget.value as StatusFilter });
              }}
            >
              <option value="all">{t('content.filter.all')}</option>
              <option value="draft">{t('status.draft')}</option>
              <option value="pending">{t('status.pending')}</option>
              <option value="approved">{t('status.approved')}</option>
              <option value="rejected">{t('status.rejected')}</option>
            </select>
          </label>
        </div>
        <p class="hint" aria-live="polite" data-testid="content-count">
          {t('content.count', { shown: shown.length, total: doc.content.length })}
        </p>
        {doc.content.length === 0 ? (
          <p>{t('content.empty')}</p>
        ) : (
          <DataTable
            wrapClass="content-table-wrap"
            tableClass="content-table"
            testId="content-table"
            rows={shown}
            rowKey={(c) => c.id}
            rowAttributes={(c) => ({ 'data-content': c.id })}
            columns={[
              {
                header: t('content.col.content'),
                class: 'content-cell',
                cell: (c) => {
                  const asset = c.kind === 'banner' ? findAsset(assets, c.asset) : undefined;
                  return (
                    <>
                      {c.kind === 'slogan' ? (
                        <span class="content-text" lang="vi">
                          {c.text}
                        </span>
                      ) : (
                        <span class="content-banner">
                          {asset ? (
                            <img src={assetUrl(asset)} alt="" width={96} height={32} />
                          ) : null}
                          <span>{c.asset}</span>
                        </span>
                      )}
                      <code class="content-id">{c.id}</code>
                    </>
                  );
                },
              },
              {
                header: t('content.col.kind'),
                class: 'content-nowrap',
                cell: (c) => t(`content.kind.${c.kind}`),
              },
              {
                header: t('content.col.duration'),
                class: 'content-num',
                cell: (c) =>
                  c.durationSec === undefined
                    ? t('content.duration.default', {
                        n: formatNumber(locale, defaultSeconds(c.kind)),
                      })
                    : t('unit.seconds', { n: formatNumber(locale, c.durationSec) }),
              },
              {
                header: t('content.col.status'),
                cell: (c) => {
                  const state = approval[c.id];
                  return state ? <StatusBadge status={state.status} /> : null;
                },
              },
              {
                header: t('content.col.used'),
                class: 'content-nowrap',
                cell: (c) => {
                  const used = playlistsUsing(doc, c.id);
                  return used.length === 0 ? (
                    <span class="hint">{t('content.used.none')}</span>
                  ) : (
                    <span title={used.map((p) => p.name).join('\n')}>
                      {t('content.used.n', { n: used.length })}
                    </span>
                  );
                },
              },
            ]}
            actions={{
              header: t('content.col.actions'),
              cell: (c) => {
                const name = contentName(c, 40);
                return (
                  <>
                    <RowButton
                      label={t('content.preview')}
                      name={t('content.previewOf', { name })}
                      onClick={() => {
                        setPreviewing(c);
                      }}
                    />
                    {canEdit ? (
                      <a
                        class="button small"
                        href={href(`content/edit/${encodeURIComponent(c.id)}`)}
                        aria-label={t('content.editOf', { name })}
                      >
                        {t('action.edit')}
                      </a>
                    ) : null}
                    {canDelete ? (
                      <RowButton
                        label={t('action.delete')}
                        name={t('content.deleteOf', { name })}
                        onClick={() => {
                          setDeleting(c);
                        }}
                      />
                    ) : null}
                  </>
                );
              },
            }}
          />
        )}
        {doc.content.length > 0 && shown.length === 0 ? <p>{t('content.noMatch')}</p> : null}
      </section>
      {previewing ? (
        <Dialog
          open
          wide
          title={t('content.previewOf', { name: contentName(previewing, 60) })}
          onClose={() => {
            setPreviewing(null);
          }}
        >
          <BoardPicker boards={doc.boards} value={props.boardId} onChange={props.onBoard} />
          <ContentPreview
            info={doc.plan}
            board={boardFor(doc, props.boardId)}
            content={previewing}
            assets={assets}
          />
          <div class="dialog-actions">
            <button
              type="button"
              onClick={() => {
                setPreviewing(null);
              }}
            >
              {t('action.close')}
            </button>
          </div>
        </Dialog>
      ) : null}
      <DeleteDialog
        item={deleting}
        title={t('content.delete.title')}
        message={(c) =>
          `${t('confirm.delete', { name: contentName(c, 60) })}${
            usedBy.length > 0
              ? ` ${t('content.delete.used', { names: usedBy.map((p) => `“${p.name}”`).join(', ') })}`
              : ''
          }`
        }
        onDelete={(c) => void remove(c)}
        onCancel={() => {
          setDeleting(null);
        }}
      />
    </>
  );
}
