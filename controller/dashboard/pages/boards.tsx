import { useEffect, useState } from 'preact/hooks';
import type { ApiFailure } from '../api';
import { BoardClaimForm } from '../components/board-claim';
import { BoardCommands, BoardDevices } from '../components/board-devices';
import { BoardEditor } from '../components/board-editor';
import {
  BoardStatusView,
  BoardThumbnail,
  LiveIndicator,
  isOnline,
  useBoardStatusFeed,
  type BoardStatusFeed,
} from '../components/board-status';
import { targetsBoard } from '../components/schedule-format';
import {
  DeleteDialog,
  ErrorNotice,
  Loading,
  PageHeader,
  StatusBadge,
  SuccessNotice,
} from '../components/ui';
import { useI18n } from '../i18n';
import { entityPath, usePlan, type Board, type PlanWithApproval } from '../plan-data';
import { href, navigate, type Route } from '../router';
import { useSession } from '../session';

type View = 'grid' | 'table';
const VIEW_KEY = 'bangtin.boards.view';

/** A content id as people know it: the slogan's words or the banner's file. */
function describer(doc: PlanWithApproval): (id: string) => string {
  return (id) => {
    const content = doc.content.find((c) => c.id === id);
    if (!content) return id;
    const text = content.kind === 'slogan' ? content.text : content.asset;
    return text.length > 70 ? `${text.slice(0, 70)}…` : text;
  };
}

/** `#/boards` (every board of the working plan) and `#/boards/<id>` (one board). */
export function BoardsPage(props: { route: Route }) {
  const { t } = useI18n();
  const session = useSession();
  const plan = usePlan();
  const feed = useBoardStatusFeed();
  const [editing, setEditing] = useState<Board | 'new' | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const boardId = props.route.rest[0];
  const doc = plan.data;
  useEffect(() => {
    // Between the list and one board the page stays the same: say where the user is now.
    document.getElementById('page-title')?.focus();
  }, [boardId]);

  const editor =
    doc && editing ? (
      <BoardEditor
        doc={doc}
        board={editing === 'new' ? null : editing}
        onClose={(saved) => {
          setEditing(null);
          if (saved) {
            setDone(t('boards.saved', { name: saved.name }));
            session.changed();
          }
        }}
      />
    ) : null;

  if (!doc) {
    return (
      <div class="boards-page">
        <PageHeader title={t('boards.title')} />
        {plan.loading ? <Loading /> : null}
        <ErrorNotice failure={plan.failure} />
        {!session.planId ? <p>{t('app.noPlan')}</p> : null}
      </div>
    );
  }
  if (boardId !== undefined) {
    return (
      <div class="boards-page">
        <BoardDetail
          doc={doc}
          boardId={boardId}
          feed={feed}
          done={done}
          onEdit={(b) => {
            setDone(null);
            setEditing(b);
          }}
        />
        {editor}
      </div>
    );
  }
  return (
    <div class="boards-page">
      <BoardList
        doc={doc}
        feed={feed}
        done={done}
        onNew={() => {
          setDone(null);
          setEditing('new');
        }}
      />
      {editor}
    </div>
  );
}

function BoardList(props: {
  doc: PlanWithApproval;
  feed: BoardStatusFeed;
  done: string | null;
  onNew: () => void;
}) {
  const { t } = useI18n();
  const session = useSession();
  const { doc, feed } = props;
  const [view, setViewState] = useState<View>(() =>
    localStorage.getItem(VIEW_KEY) === 'table' ? 'table' : 'grid',
  );
  const setView = (v: View) => {
    localStorage.setItem(VIEW_KEY, v);
    setViewState(v);
  };
  const online = doc.boards.filter((b) => isOnline(feed.boards.get(b.id))).length;
  const describe = describer(doc);
  const timeZone = doc.plan.timeZone;
  return (
    <>
      <PageHeader title={t('boards.title')}>
        <div class="board-view-toggle" role="group" aria-label={t('boards.view')}>
          <button
            type="button"
            aria-pressed={view === 'grid'}
            data-view="grid"
            onClick={() => {
              setView('grid');
            }}
          >
            {t('boards.view.grid')}
          </button>
          <button
            type="button"
            aria-pressed={view === 'table'}
            data-view="table"
            onClick={() => {
              setView('table');
            }}
          >
            {t('boards.view.table')}
          </button>
        </div>
        {session.can('POST /api/plans/:planId/boards') ? (
          <button type="button" class="primary" onClick={props.onNew}>
            {t('boards.new')}
          </button>
        ) : null}
      </PageHeader>
      <SuccessNotice text={props.done} />

      {session.can('POST /api/pairings/claim') && doc.boards.length > 0 ? (
        <section aria-labelledby="boards-claim">
          <h2 id="boards-claim">{t('boards.claim.title')}</h2>
          <p class="hint">{t('boards.claim.intro')}</p>
          <BoardClaimForm boards={doc.boards} />
        </section>
      ) : null}

      <section aria-labelledby="boards-list">
        <h2 id="boards-list">
          {t('boards.list', { code: doc.plan.code ?? doc.plan.id, n: doc.boards.length })}
        </h2>
        <p class="board-summary" role="status" aria-live="polite" data-testid="board-summary">
          {t('boards.summary', { online, n: doc.boards.length })}
        </p>
        <LiveIndicator feed={feed} timeZone={timeZone} />
        {doc.boards.length === 0 ? <p>{t('boards.none')}</p> : null}
        {view === 'grid' ? (
          <ul class="board-grid" data-testid="board-grid">
            {doc.boards.map((b) => {
              const status = feed.boards.get(b.id);
              const on = isOnline(status);
              return (
                <li
                  key={b.id}
                  class={
                    on
                      ? 'board-card board-card-online'
                      : status?.state === 'offline'
                        ? 'board-card board-card-offline'
                        : 'board-card board-card-unpaired'
                  }
                  data-board={b.id}
                  data-online={String(on)}
                  data-testid="board-card"
                >
                  <h3 class="board-card-title">
                    <a href={href(`boards/${encodeURIComponent(b.id)}`)}>{b.name}</a>
                  </h3>
                  <p class="board-card-meta">
                    <code class="board-id">{b.id}</code>{' '}
                    <span>{t('unit.px', { w: b.width, h: b.height })}</span>
                  </p>
                  {b.place ? <p class="board-card-place">{b.place}</p> : null}
                  <BoardTags tags={b.tags} />
                  <BoardStatusView
                    status={status}
                    timeZone={timeZone}
                    describe={describe}
                    compact
                  />
                  <BoardThumbnail
                    boardId={b.id}
                    name={b.name}
                    info={status?.screenshot ?? null}
                    pushed={feed.screenshots.get(b.id)}
                    connected={status?.connected === true}
                    timeZone={timeZone}
                  />
                </li>
              );
            })}
          </ul>
        ) : (
          <div class="board-scroll">
            <table class="table board-table" data-testid="board-table">
              <thead>
                <tr>
                  <th scope="col">{t('boards.col.board')}</th>
                  <th scope="col">{t('boards.col.size')}</th>
                  <th scope="col">{t('boards.col.tags')}</th>
                  <th scope="col">{t('boards.col.place')}</th>
                  <th scope="col">{t('boards.col.status')}</th>
                </tr>
              </thead>
              <tbody>
                {doc.boards.map((b) => {
                  const status = feed.boards.get(b.id);
                  return (
                    <tr key={b.id} data-board={b.id} data-online={String(isOnline(status))}>
                      <th scope="row">
                        <a href={href(`boards/${encodeURIComponent(b.id)}`)}>{b.name}</a>
                        <br />
                        <code class="board-id">{b.id}</code>
                      </th>
                      <td class="board-nowrap">{t('unit.px', { w: b.width, h: b.height })}</td>
                      <td>
                        <BoardTags tags={b.tags} />
                      </td>
                      <td>{b.place ?? ''}</td>
                      <td>
                        <BoardStatusView
                          status={status}
                          timeZone={timeZone}
                          describe={describe}
                          compact
                        />
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

function BoardTags(props: { tags: readonly string[] | undefined }) {
  const { t } = useI18n();
  if (!props.tags || props.tags.length === 0) return null;
  return (
    <ul class="board-tags" aria-label={t('boards.tags')}>
      {props.tags.map((tag) => (
        <li key={tag} class="board-tag">
          {tag}
        </li>
      ))}
    </ul>
  );
}

function BoardDetail(props: {
  doc: PlanWithApproval;
  boardId: string;
  feed: BoardStatusFeed;
  done: string | null;
  onEdit: (b: Board) => void;
}) {
  const { t } = useI18n();
  const session = useSession();
  const { doc } = props;
  const [deleting, setDeleting] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | undefined>();
  const board = doc.boards.find((b) => b.id === props.boardId);
  const back = (
    <a class="button" href={href('boards')}>
      {t('boards.back')}
    </a>
  );
  if (!board) {
    return (
      <>
        <PageHeader title={t('boards.title')}>{back}</PageHeader>
        <p role="alert">{t('boards.notFound', { id: props.boardId })}</p>
      </>
    );
  }
  const status = props.feed.boards.get(board.id);
  const online = isOnline(status);
  const approval = doc.approval.boards?.[board.id];
  const schedules = doc.schedules.filter((s) => targetsBoard(s.boards, board));
  const remove = async () => {
    setDeleting(false);
    setFailure(undefined);
    const result = await session.api.request('DELETE', entityPath(doc.plan.id, 'boards', board.id));
    if (!result.ok) {
      setFailure(result);
      return;
    }
    session.changed();
    navigate('boards');
  };
  return (
    <div data-testid="board-detail" data-board={board.id} data-online={String(online)}>
      <PageHeader title={board.name}>
        {back}
        <a class="button" href={href('schedules', { board: board.id })}>
          {t('boards.dayView')}
        </a>
        {session.can('PUT /api/plans/:planId/boards/:id') ? (
          <button
            type="button"
            onClick={() => {
              props.onEdit(board);
            }}
          >
            {t('action.edit')}
          </button>
        ) : null}
        {session.can('DELETE /api/plans/:planId/boards/:id') ? (
          <button
            type="button"
            onClick={() => {
              setDeleting(true);
            }}
          >
            {t('action.delete')}
          </button>
        ) : null}
      </PageHeader>
      <SuccessNotice text={props.done} />
      <ErrorNotice failure={failure} />
      <div class="columns">
        <section aria-labelledby="board-info">
          <h2 id="board-info">{t('boards.info')}</h2>
          <dl class="board-status-list">
            <dt>{t('field.id')}</dt>
            <dd>
              <code>{board.id}</code>
            </dd>
            <dt>{t('boards.size')}</dt>
            <dd>{t('unit.px', { w: board.width, h: board.height })}</dd>
            <dt>{t('boards.tags')}</dt>
            <dd>
              {board.tags && board.tags.length > 0 ? (
                <BoardTags tags={board.tags} />
              ) : (
                t('boards.noTags')
              )}
            </dd>
            <dt>{t('boards.place')}</dt>
            <dd>{board.place ?? t('boards.noPlace')}</dd>
            <dt>{t('boards.idle')}</dt>
            <dd>{board.idle === 'black' ? t('boards.idle.black') : t('boards.idle.clock')}</dd>
            <dt>{t('boards.publicShort')}</dt>
            <dd>{board.public === true ? t('boards.yes') : t('boards.no')}</dd>
            {approval ? (
              <>
                <dt>{t('boards.approval')}</dt>
                <dd>
                  <StatusBadge status={approval.status} />
                </dd>
              </>
            ) : null}
            <dt>{t('boards.schedules')}</dt>
            <dd>{t('boards.schedules.count', { n: schedules.length })}</dd>
          </dl>
        </section>
        <section aria-labelledby="board-live">
          <h2 id="board-live">{t('boards.live')}</h2>
          <LiveIndicator feed={props.feed} timeZone={doc.plan.timeZone} />
          <BoardStatusView status={status} timeZone={doc.plan.timeZone} describe={describer(doc)} />
          <BoardThumbnail
            boardId={board.id}
            name={board.name}
            info={status?.screenshot ?? null}
            pushed={props.feed.screenshots.get(board.id)}
            connected={status?.connected === true}
            timeZone={doc.plan.timeZone}
          />
        </section>
      </div>
      {session.can('POST /api/boards/:id/commands') ? (
        <section aria-labelledby="board-commands">
          <h2 id="board-commands">{t('boards.cmd.title')}</h2>
          <BoardCommands
            boardId={board.id}
            boardName={board.name}
            online={status?.connected === true}
          />
        </section>
      ) : null}
      {session.can('POST /api/pairings/claim') ? (
        <section aria-labelledby="board-claim">
          <h2 id="board-claim">{t('boards.claim.here', { name: board.name })}</h2>
          <p class="hint">{t('boards.claim.introHere')}</p>
          <BoardClaimForm boards={doc.boards} boardId={board.id} />
        </section>
      ) : null}
      {session.can('GET /api/devices') ? (
        <section aria-labelledby="board-devices">
          <h2 id="board-devices">{t('boards.devices.title')}</h2>
          <BoardDevices boardId={board.id} timeZone={doc.plan.timeZone} />
        </section>
      ) : null}
      <DeleteDialog
        item={deleting ? board : null}
        title={t('boards.delete.title')}
        message={(b) => t('confirm.delete', { name: b.name })}
        onDelete={() => void remove()}
        onCancel={() => {
          setDeleting(false);
        }}
      />
    </div>
  );
}
