import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { foldText } from '../../../playlists/text';
import type { ApiFailure } from '../api';
import { useI18n, type Translate } from '../i18n';
import {
  entityPath,
  freeId,
  saveQuery,
  slugify,
  type Board,
  type Content,
  type PlanWithApproval,
  type Playlist,
  type PlaylistItem,
} from '../plan-data';
import { href } from '../router';
import { isValidId, isValidDuration } from './schedule-format';
import { useSession } from '../session';
import {
  BoardPicker,
  ContentPreview,
  EditorActions,
  NewIdField,
  contentName,
  effectiveSeconds,
  formatMinSec,
  formatNumber,
  type AssetInfo,
} from './content-shared';
import { LeaveGuard } from './leave-guard';
import { parseNumber } from './content-slogan-editor';
import { Field, PageHeader, StatusBadge } from './ui';

/** One row of the editor: a content id, its own duration as typed, and a key that follows it. */
interface Row {
  key: number;
  content: string;
  override: string;
}

/** The content id and own duration of a playlist item. */
function itemParts(item: PlaylistItem): { content: string; durationSec?: number } {
  return typeof item === 'string' ? { content: item } : item;
}

/** Seconds one pass of the items takes on a board (the resolver's duration rule). */
export function loopSeconds(doc: PlanWithApproval, items: readonly PlaylistItem[]): number {
  return items.reduce((sum, item) => {
    const { content, durationSec } = itemParts(item);
    return (
      sum +
      effectiveSeconds(
        doc.content.find((c) => c.id === content),
        durationSec,
      )
    );
  }, 0);
}

function rowOverride(row: Row): number | undefined {
  const n = parseNumber(row.override);
  return n === undefined || Number.isNaN(n) ? undefined : n;
}

function itemsOf(rows: readonly Row[]): PlaylistItem[] {
  return rows.map((r) => {
    const durationSec = rowOverride(r);
    return durationSec === undefined ? r.content : { content: r.content, durationSec };
  });
}

function checkDraft(
  t: Translate,
  draft: { id: string; name: string; rows: Row[] },
  isNew: boolean,
  takenIds: readonly string[],
): ApiFailure | undefined {
  const problems: ApiFailure['problems'] = [];
  if (draft.name.trim() === '') {
    problems.push({ path: t('field.name'), message: t('playlists.check.name') });
  }
  if (isNew) {
    if (!isValidId(draft.id)) {
      problems.push({ path: t('field.id'), message: t('field.id.hint') });
    } else if (takenIds.includes(draft.id)) {
      problems.push({ path: t('field.id'), message: t('content.check.idTaken') });
    }
  }
  if (draft.rows.length === 0) {
    problems.push({ path: t('playlists.items'), message: t('playlists.check.empty') });
  }
  draft.rows.forEach((r, i) => {
    const n = parseNumber(r.override);
    if (n !== undefined && !isValidDuration(n)) {
      problems.push({
        path: t('playlists.itemN', { n: i + 1 }),
        message: t('content.check.duration'),
      });
    }
  });
  if (problems.length === 0) return undefined;
  return { ok: false, status: 0, code: 'invalid_request', message: '', problems };
}

/**
 * A playlist's name and ordered items: add from the plan's content, drag rows (or use the
 * move buttons) to reorder, set an item's own duration; the loop length follows every change.
 */
export function PlaylistEditor(props: {
  doc: PlanWithApproval;
  assets: AssetInfo[];
  board: Board;
  onBoard: (boardId: string) => void;
  onDone: (message: string) => void;
  original?: Playlist;
  readOnly: boolean;
}) {
  const { t, locale } = useI18n();
  const session = useSession();
  const { doc, original, readOnly, board } = props;
  const nextKey = useRef(0);
  const initial = useMemo(
    () => ({
      id: original?.id ?? '',
      name: original?.name ?? '',
      rows: (original?.items ?? []).map((item): Row => {
        const { content, durationSec } = itemParts(item);
        return {
          key: nextKey.current++,
          content,
          override: durationSec === undefined ? '' : String(durationSec),
        };
      }),
    }),
    [original],
  );
  const [id, setId] = useState(initial.id);
  const [idTouched, setIdTouched] = useState(original !== undefined);
  const [name, setName] = useState(initial.name);
  const [rows, setRows] = useState<Row[]>(initial.rows);
  const [selected, setSelected] = useState<number | null>(initial.rows[0]?.key ?? null);
  const [search, setSearch] = useState('');
  const [failure, setFailure] = useState<{ failure: ApiFailure; title?: string } | undefined>();
  const [busy, setBusy] = useState(false);
  const [announce, setAnnounce] = useState('');
  const [dropAt, setDropAt] = useState<number | null>(null);
  const [focusAfterMove, setFocusAfterMove] = useState<{ key: number; dir: string } | null>(null);
  const dragFrom = useRef<number | null>(null);
  const isNew = original === undefined;
  const takenIds = doc.playlists.map((p) => p.id);
  const contentById = new Map<string, Content>(doc.content.map((c) => [c.id, c]));
  const approval = original ? doc.approval.playlists?.[original.id] : undefined;
  const contentApproval = doc.approval.content ?? {};

  const items = itemsOf(rows);
  const dirty =
    name !== initial.name ||
    id !== initial.id ||
    JSON.stringify(items) !== JSON.stringify(itemsOf(initial.rows));
  const total = loopSeconds(doc, items);
  const labelOf = (content: string) => {
    const c = contentById.get(content);
    return c ? contentName(c, 40) : content;
  };

  useEffect(() => {
    if (!focusAfterMove) return;
    const row = document.querySelector(`[data-row-key="${focusAfterMove.key}"]`);
    const wanted = row?.querySelector<HTMLButtonElement>(`[data-move="${focusAfterMove.dir}"]`);
    const other = row?.querySelector<HTMLButtonElement>(
      `[data-move="${focusAfterMove.dir === 'up' ? 'down' : 'up'}"]`,
    );
    (wanted && !wanted.disabled ? wanted : other)?.focus();
    setFocusAfterMove(null);
  }, [focusAfterMove]);

  const move = (from: number, to: number, dir?: 'up' | 'down') => {
    if (from === to || to < 0 || to >= rows.length) return;
    const next = [...rows];
    const [row] = next.splice(from, 1);
    if (!row) return;
    next.splice(to, 0, row);
    setRows(next);
    setAnnounce(
      t('playlists.moved', { name: labelOf(row.content), n: to + 1, total: next.length }),
    );
    if (dir) setFocusAfterMove({ key: row.key, dir });
  };

  const add = (content: Content) => {
    const row: Row = { key: nextKey.current++, content: content.id, override: '' };
    setRows((list) => [...list, row]);
    setSelected((s) => s ?? row.key);
    // "At least one item" no longer holds; older problems are rechecked on the next save.
    setFailure(undefined);
    setAnnounce(t('playlists.added', { name: contentName(content, 40), n: rows.length + 1 }));
  };

  const removeRow = (index: number) => {
    const row = rows[index];
    if (!row) return;
    const next = rows.filter((_, i) => i !== index);
    setRows(next);
    if (selected === row.key) setSelected(next[Math.min(index, next.length - 1)]?.key ?? null);
    setAnnounce(t('playlists.removed', { name: labelOf(row.content) }));
  };

  const save = async (asDraft: boolean) => {
    const problem = checkDraft(t, { id, name, rows }, isNew, takenIds);
    if (problem) {
      setFailure({ failure: problem });
      return;
    }
    setBusy(true);
    setFailure(undefined);
    const query = saveQuery(doc, 'playlists', isNew ? null : initial.id, asDraft);
    const body = { name: name.normalize('NFC').trim(), items };
    const result = isNew
      ? await session.api.request('POST', `${entityPath(doc.plan.id, 'playlists')}${query}`, {
          id,
          ...body,
        })
      : await session.api.request(
          'PUT',
          `${entityPath(doc.plan.id, 'playlists', initial.id)}${query}`,
          body,
        );
    setBusy(false);
    if (!result.ok) {
      setFailure({ failure: result, title: t('playlists.save.refused') });
      return;
    }
    props.onDone(
      asDraft
        ? t('playlists.savedDraft', { name: body.name })
        : t('playlists.savedPending', { name: body.name }),
    );
  };

  const words = foldText(search).split(/\s+/).filter(Boolean);
  const addable = doc.content.filter((c) => {
    const haystack = foldText(`${c.id} ${c.kind === 'slogan' ? c.text : c.asset}`);
    return words.every((w) => haystack.includes(w));
  });
  const selectedRow = rows.find((r) => r.key === selected) ?? rows[0];
  const selectedContent = selectedRow ? contentById.get(selectedRow.content) : undefined;

  const title = readOnly
    ? (original?.name ?? '')
    : isNew
      ? t('playlists.newTitle')
      : t('playlists.editTitle');

  return (
    <>
      <PageHeader title={title}>
        <a href={href('playlists')}>{t('playlists.back')}</a>
      </PageHeader>
      {approval ? (
        <p class="content-state">
          <StatusBadge status={approval.status} /> {readOnly ? null : t('playlists.reapproval')}
        </p>
      ) : readOnly ? null : (
        <p class="hint">{t('content.approvalNote')}</p>
      )}
      <form
        class="content-editor"
        data-testid="playlist-form"
        noValidate
        onSubmit={(e) => {
          // Enter in the search or a duration box must not save the playlist.
          e.preventDefault();
        }}
      >
        <section aria-labelledby="playlist-items-title" data-testid="playlist-items">
          {readOnly ? null : (
            <div class="field-row">
              <Field label={t('field.name')}>
                {(a) => (
                  <input
                    {...a}
                    lang="vi"
                    value={name}
                    data-testid="playlist-name"
                    onInput={(e) => {
                      const value = e.currentTarget.value;
                      setName(value);
                      if (isNew && !idTouched) {
                        setId(value.trim() ? freeId(slugify(value), takenIds) : '');
                      }
                    }}
                  />
                )}
              </Field>
              {isNew ? (
                <NewIdField
                  id={id}
                  testId="playlist-id"
                  onInput={(value) => {
                    setIdTouched(true);
                    setId(value);
                  }}
                />
              ) : null}
            </div>
          )}
          <h2 id="playlist-items-title">{t('playlists.items')}</h2>
          <p
            class="playlist-loop"
            data-testid="loop-length"
            data-seconds={total}
            aria-live="polite"
          >
            {t('playlists.loop', {
              mss: formatMinSec(total),
              sec: formatNumber(locale, total),
              n: rows.length,
            })}
          </p>
          {readOnly ? null : <p class="hint">{t('playlists.dragHint')}</p>}
          {rows.length === 0 ? (
            <p class="notice notice-warn">{t('playlists.noItems')}</p>
          ) : (
            <div class="content-table-wrap">
              <table class="table playlist-table" data-testid="playlist-table">
                <thead>
                  <tr>
                    {readOnly ? null : (
                      <th scope="col" class="playlist-handle-col">
                        <span class="sr-only">{t('playlists.col.drag')}</span>
                      </th>
                    )}
                    <th scope="col" class="content-num">
                      {t('playlists.col.order')}
                    </th>
                    <th scope="col">{t('playlists.col.content')}</th>
                    <th scope="col">{t('playlists.col.own')}</th>
                    <th scope="col" class="content-num">
                      {t('playlists.col.effective')}
                    </th>
                    {readOnly ? null : (
                      <th scope="col">
                        <span class="sr-only">{t('content.col.actions')}</span>
                      </th>
                    )}
                  </tr>
                </thead>
                <tbody>
                  {rows.map((row, i) => {
                    const content = contentById.get(row.content);
                    const label = labelOf(row.content);
                    const own = rowOverride(row);
                    const seconds = effectiveSeconds(content, own);
                    const state = contentApproval[row.content];
                    const classes = [
                      row.key === selectedRow?.key ? 'playlist-selected' : '',
                      dropAt === i ? 'playlist-drop' : '',
                    ].join(' ');
                    return (
                      <tr
                        key={row.key}
                        class={classes.trim() || undefined}
                        data-row-key={row.key}
                        data-item-index={i}
                        data-content={row.content}
                        data-testid="playlist-row"
                        draggable={!readOnly}
                        onDragStart={(e) => {
                          dragFrom.current = i;
                          if (e.dataTransfer) {
                            e.dataTransfer.effectAllowed = 'move';
                            e.dataTransfer.setData('text/plain', row.content);
                          }
                        }}
                        onDragOver={(e) => {
                          if (dragFrom.current === null) return;
                          e.preventDefault();
                          if (e.dataTransfer) e.dataTransfer.dropEffect = 'move';
                          setDropAt(i);
                        }}
                        onDragLeave={() => {
                          setDropAt((d) => (d === i ? null : d));
                        }}
                        onDrop={(e) => {
                          e.preventDefault();
                          const from = dragFrom.current;
                          dragFrom.current = null;
                          setDropAt(null);
                          if (from !== null) move(from, i);
                        }}
                        onDragEnd={() => {
                          dragFrom.current = null;
                          setDropAt(null);
                        }}
                      >
                        {readOnly ? null : (
                          <td class="playlist-handle" title={t('playlists.dragTitle')}>
                            <span aria-hidden="true">⠿</span>
                          </td>
                        )}
                        <td class="content-num">{i + 1}</td>
                        <td
                          class="playlist-content"
                          onClick={() => {
                            setSelected(row.key);
                          }}
                        >
                          {content ? (
                            <>
                              <span class="content-text" lang="vi">
                                {content.kind === 'slogan' ? content.text : content.asset}
                              </span>
                              <span class="playlist-meta">
                                <code class="content-id">{content.id}</code>{' '}
                                <span class="hint">{t(`content.kind.${content.kind}`)}</span>{' '}
                                {state ? <StatusBadge status={state.status} /> : null}
                              </span>
                            </>
                          ) : (
                            <span class="notice-warn">
                              {t('playlists.unknownContent', { id: row.content })}
                            </span>
                          )}
                        </td>
                        <td>
                          {readOnly ? (
                            own === undefined ? (
                              <span class="hint">{t('playlists.own.none')}</span>
                            ) : (
                              t('unit.seconds', { n: formatNumber(locale, own) })
                            )
                          ) : (
                            <input
                              type="number"
                              inputMode="decimal"
                              min={1}
                              max={3600}
                              step="any"
                              class="playlist-own"
                              value={row.override}
                              placeholder={String(effectiveSeconds(content))}
                              aria-label={t('playlists.ownOf', { n: i + 1, name: label })}
                              data-testid="playlist-own"
                              onInput={(e) => {
                                const value = e.currentTarget.value;
                                setRows((list) =>
                                  list.map((r) =>
                                    r.key === row.key ? { ...r, override: value } : r,
                                  ),
                                );
                              }}
                            />
                          )}
                        </td>
                        <td class="content-num" data-testid="playlist-effective">
                          {t('unit.seconds', { n: formatNumber(locale, seconds) })}
                        </td>
                        {readOnly ? null : (
                          <td>
                            <div class="row-actions playlist-actions">
                              <button
                                type="button"
                                class="small"
                                data-move="up"
                                disabled={i === 0}
                                title={t('action.moveUp')}
                                aria-label={t('playlists.moveUp', { n: i + 1, name: label })}
                                onClick={() => {
                                  move(i, i - 1, 'up');
                                }}
                              >
                                <span aria-hidden="true">↑</span>
                              </button>
                              <button
                                type="button"
                                class="small"
                                data-move="down"
                                disabled={i === rows.length - 1}
                                title={t('action.moveDown')}
                                aria-label={t('playlists.moveDown', { n: i + 1, name: label })}
                                onClick={() => {
                                  move(i, i + 1, 'down');
                                }}
                              >
                                <span aria-hidden="true">↓</span>
                              </button>
                              <button
                                type="button"
                                class="small"
                                aria-label={t('playlists.removeOf', { n: i + 1, name: label })}
                                onClick={() => {
                                  removeRow(i);
                                }}
                              >
                                {t('action.remove')}
                              </button>
                            </div>
                          </td>
                        )}
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
          <p class="sr-only" role="status" aria-live="polite" data-testid="playlist-announce">
            {announce}
          </p>
        </section>
        <div class={readOnly ? undefined : 'columns'}>
          {readOnly ? null : (
            <section aria-labelledby="playlist-add-title" data-testid="playlist-add">
              <h2 id="playlist-add-title">{t('playlists.add')}</h2>
              <Field label={t('playlists.add.search')} hint={t('playlists.add.hint')}>
                {(a) => (
                  <input
                    {...a}
                    type="search"
                    value={search}
                    placeholder={t('content.search.placeholder')}
                    data-testid="playlist-add-search"
                    onInput={(e) => {
                      setSearch(e.currentTarget.value);
                    }}
                  />
                )}
              </Field>
              {addable.length === 0 ? (
                <p>{t('content.noMatch')}</p>
              ) : (
                <ul class="playlist-addable">
                  {addable.map((c) => (
                    <li key={c.id} data-content={c.id} data-testid="playlist-addable">
                      <span class="playlist-addable-text">
                        <span class="content-text" lang="vi">
                          {contentName(c, 120)}
                        </span>
                        <span class="playlist-meta">
                          <code class="content-id">{c.id}</code>{' '}
                          <span class="hint">
                            {t(`content.kind.${c.kind}`)} ·{' '}
                            {t('unit.seconds', {
                              n: formatNumber(locale, effectiveSeconds(c)),
                            })}
                          </span>{' '}
                          {contentApproval[c.id] ? (
                            <StatusBadge status={contentApproval[c.id]?.status ?? 'draft'} />
                          ) : null}
                        </span>
                      </span>
                      <button
                        type="button"
                        class="small"
                        aria-label={t('playlists.addOf', { name: contentName(c, 40), id: c.id })}
                        onClick={() => {
                          add(c);
                        }}
                      >
                        {t('action.add')}
                      </button>
                    </li>
                  ))}
                </ul>
              )}
            </section>
          )}
          <section aria-labelledby="playlist-preview-title" class="content-preview-panel">
            <h2 id="playlist-preview-title">{t('content.preview.title')}</h2>
            {rows.length === 0 ? (
              <p class="hint">{t('playlists.preview.none')}</p>
            ) : (
              <>
                <div class="field-row">
                  <Field label={t('playlists.preview.item')}>
                    {(a) => (
                      <select
                        {...a}
                        value={String(selectedRow?.key ?? '')}
                        data-testid="playlist-preview-item"
                        onChange={(e) => {
                          setSelected(Number(e.currentTarget.value));
                        }}
                      >
                        {rows.map((r, i) => (
                          <option key={r.key} value={String(r.key)}>
                            {i + 1}. {labelOf(r.content)}
                          </option>
                        ))}
                      </select>
                    )}
                  </Field>
                  <BoardPicker boards={doc.boards} value={board.id} onChange={props.onBoard} />
                </div>
                <ContentPreview
                  info={doc.plan}
                  board={board}
                  content={selectedContent ?? null}
                  assets={props.assets}
                  durationSec={effectiveSeconds(
                    selectedContent,
                    selectedRow ? rowOverride(selectedRow) : undefined,
                  )}
                  testId="playlist-preview"
                />
              </>
            )}
          </section>
        </div>
        {readOnly ? null : (
          <EditorActions
            failure={failure}
            cancelHref={href('playlists')}
            disabled={busy}
            busy={busy}
            testIdPrefix="playlist"
            submitsForm={false}
            onSave={(asDraft) => void save(asDraft)}
          />
        )}
      </form>
      {readOnly ? null : <LeaveGuard dirty={dirty && !busy} />}
    </>
  );
}
