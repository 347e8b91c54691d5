import { useMemo, useState } from 'preact/hooks';
import type { Slogan } from '../../../playlists/plan';
import type { ApiFailure } from '../api';
import { useI18n } from '../i18n';
import { entityPath, freeId, slugify, type PlanWithApproval } from '../plan-data';
import { href } from '../router';
import { isValidDuration } from './schedule-format';
import { useSession } from '../session';
import {
  DurationField,
  ProgressBar,
  defaultSeconds,
  sameTextKey,
  shortText,
} from './content-shared';
import { LeaveGuard } from './leave-guard';
import { parseNumber } from './content-slogan-editor';
import { Checkbox, ErrorNotice, Field, FileInput, PageHeader, SuccessNotice } from './ui';

type Motion = NonNullable<Slogan['motion']>;
const MOTIONS: readonly Motion[] = ['static', 'scroll-left', 'paged'];
// "1. ", "12) ", "a) ", "- ", "• ", "+ ", "* " at the start of a line of an official list.
const LIST_MARK = /^(?:\d{1,3}[.)]|[a-zđ][.)]|[-–—•+*])\s+/i;

/** One line of the list as it will be created. */
export interface ImportLine {
  /** 1-based line number in the text, for messages. */
  lineNo: number;
  text: string;
  id: string;
  /** Id of existing content with the same text. */
  existing?: string;
  /** Line number of an earlier line with the same text. */
  repeatOf?: number;
  tooLong: boolean;
}

/** The slogans a pasted list describes: one a line, trimmed, NFC, blank lines ignored. */
export function parseSloganList(
  text: string,
  options: { stripMarks: boolean; prefix: string },
  doc: PlanWithApproval,
): ImportLine[] {
  const existing = new Map<string, string>();
  for (const c of doc.content) if (c.kind === 'slogan') existing.set(sameTextKey(c.text), c.id);
  const taken = new Set(doc.content.map((c) => c.id));
  const seen = new Map<string, number>();
  const lines: ImportLine[] = [];
  text.split(/\r\n|\r|\n/).forEach((raw, i) => {
    let line = raw.normalize('NFC').trim();
    if (options.stripMarks) line = line.replace(LIST_MARK, '').trim();
    if (line === '') return;
    const key = sameTextKey(line);
    const id = freeId(`${options.prefix}${slugify(line)}`.slice(0, 64), taken);
    taken.add(id);
    const existingId = existing.get(key);
    const repeatOf = seen.get(key);
    lines.push({
      lineNo: i + 1,
      text: line,
      id,
      ...(existingId === undefined ? {} : { existing: existingId }),
      ...(repeatOf === undefined ? {} : { repeatOf }),
      tooLong: line.length > 2000,
    });
    if (repeatOf === undefined) seen.set(key, i + 1);
  });
  return lines;
}

/** Reads a text file as UTF-8 (or UTF-16 with its byte-order mark); undefined when it is not. */
async function readText(file: File): Promise<string | undefined> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const encoding =
    bytes[0] === 0xff && bytes[1] === 0xfe
      ? 'utf-16le'
      : bytes[0] === 0xfe && bytes[1] === 0xff
        ? 'utf-16be'
        : 'utf-8';
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

interface Outcome {
  created: string[];
  total: number;
  failure?: { failure: ApiFailure; title: string };
  playlist?: { ok: true; name: string } | { ok: false; failure: ApiFailure; title: string };
}

/** Creates many slogans at once from an official list (pasted, or a .txt file). */
export function BulkImport(props: { doc: PlanWithApproval; onDone: (message: string) => void }) {
  const { t } = useI18n();
  const session = useSession();
  const { doc } = props;
  const [text, setText] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [fileFailure, setFileFailure] = useState<ApiFailure | undefined>();
  const [stripMarks, setStripMarks] = useState(true);
  const [prefix, setPrefix] = useState('');
  const [durationSec, setDurationSec] = useState(String(defaultSeconds('slogan')));
  const [motion, setMotion] = useState<Motion>('static');
  const [asDraft, setAsDraft] = useState(false);
  const [playlistId, setPlaylistId] = useState('');
  // Lines the user ticked or unticked, by their text (duplicates start unticked).
  const [choice, setChoice] = useState<Record<string, boolean>>({});
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [checkFailure, setCheckFailure] = useState<ApiFailure | undefined>();
  const [running, setRunning] = useState(false);

  const lines = useMemo(
    () => parseSloganList(text, { stripMarks, prefix: prefix.trim() }, doc),
    [text, stripMarks, prefix, doc],
  );
  const included = (l: ImportLine) =>
    choice[l.text] ?? (l.existing === undefined && l.repeatOf === undefined && !l.tooLong);
  const chosen = lines.filter(included);
  const canPatch = session.can('PATCH /api/plans/:planId/playlists/:id');

  const pickFile = async (f: File | null) => {
    setFile(f);
    setFileFailure(undefined);
    if (!f) return;
    const content = await readText(f);
    if (content === undefined) {
      setFileFailure({
        ok: false,
        status: 0,
        code: 'invalid_request',
        message: '',
        problems: [{ path: f.name, message: t('content.bulk.notUtf8') }],
      });
      return;
    }
    setText(content);
    setOutcome(null);
  };

  const run = async () => {
    const duration = parseNumber(durationSec);
    if (duration !== undefined && !isValidDuration(duration)) {
      setCheckFailure({
        ok: false,
        status: 0,
        code: 'invalid_request',
        message: '',
        problems: [{ path: t('content.duration'), message: t('content.check.duration') }],
      });
      return;
    }
    setCheckFailure(undefined);
    const todo = chosen;
    const created: string[] = [];
    const result: Outcome = { created, total: todo.length };
    setOutcome(null);
    setRunning(true);
    setProgress({ done: 0, total: todo.length });
    const query = asDraft ? '?draft=true' : '';
    for (const line of todo) {
      const slogan: Slogan = {
        id: line.id,
        kind: 'slogan',
        text: line.text,
        ...(duration === undefined ? {} : { durationSec: duration }),
        ...(motion === 'static' ? {} : { motion }),
      };
      const r = await session.api.request(
        'POST',
        `${entityPath(doc.plan.id, 'content')}${query}`,
        slogan,
      );
      if (!r.ok) {
        result.failure = {
          failure: r,
          title: t('content.bulk.stopped', { line: line.lineNo, text: shortText(line.text, 50) }),
        };
        break;
      }
      created.push(line.id);
      setProgress({ done: created.length, total: todo.length });
    }
    const playlist = doc.playlists.find((p) => p.id === playlistId);
    if (playlist && created.length > 0) {
      const r = await session.api.request(
        'PATCH',
        `${entityPath(doc.plan.id, 'playlists', playlist.id)}${query}`,
        { items: [...playlist.items, ...created] },
      );
      result.playlist = r.ok
        ? { ok: true, name: playlist.name }
        : {
            ok: false,
            failure: r,
            title: t('content.bulk.playlistRefused', { name: playlist.name }),
          };
    }
    setRunning(false);
    if (created.length === todo.length && result.playlist?.ok !== false) {
      props.onDone(
        playlist
          ? t('content.bulk.doneWithPlaylist', { n: created.length, name: playlist.name })
          : t('content.bulk.done', { n: created.length }),
      );
      return;
    }
    setOutcome(result);
    // The plan reloads: what was created now shows as "already there" and is not created twice.
    session.changed();
  };

  return (
    <>
      <PageHeader title={t('content.bulk.title')}>
        <a href={href('content')}>{t('content.back')}</a>
      </PageHeader>
      <p class="hint">{t('content.bulk.intro')}</p>
      <div class="columns">
        <section aria-labelledby="bulk-source" data-testid="bulk-source">
          <h2 id="bulk-source">{t('content.bulk.source')}</h2>
          <FileInput
            label={t('content.bulk.file')}
            hint={t('content.bulk.file.hint')}
            accept="text/plain,.txt"
            name="slogan-list"
            file={file}
            onFile={(f) => void pickFile(f)}
          />
          <ErrorNotice failure={fileFailure} />
          <Field label={t('content.bulk.text')} hint={t('content.bulk.text.hint')}>
            {(a) => (
              <textarea
                {...a}
                lang="vi"
                rows={12}
                value={text}
                data-testid="bulk-text"
                onInput={(e) => {
                  setText(e.currentTarget.value);
                  setOutcome(null);
                }}
              />
            )}
          </Field>
          <Checkbox
            class="content-check"
            label={t('content.bulk.stripMarks')}
            checked={stripMarks}
            onChange={setStripMarks}
          />
        </section>
        <section aria-labelledby="bulk-options">
          <h2 id="bulk-options">{t('content.bulk.options')}</h2>
          <div class="field-row">
            <DurationField
              kind="slogan"
              hint={t('content.bulk.duration.hint')}
              value={durationSec}
              onInput={setDurationSec}
            />
            <Field label={t('content.slogan.motion')}>
              {(a) => (
                <select
                  {...a}
                  value={motion}
                  onChange={(e) => {
                    setMotion(e.currentTarget.value as Motion);
                  }}
                >
                  {MOTIONS.map((m) => (
                    <option key={m} value={m}>
                      {t(`content.motion.${m}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </div>
          <Field label={t('content.bulk.prefix')} hint={t('content.bulk.prefix.hint')}>
            {(a) => (
              <input
                {...a}
                value={prefix}
                maxLength={16}
                spellcheck={false}
                placeholder={t('content.bulk.prefix.placeholder')}
                data-testid="bulk-prefix"
                onInput={(e) => {
                  setPrefix(e.currentTarget.value);
                }}
              />
            )}
          </Field>
          {canPatch && doc.playlists.length > 0 ? (
            <Field label={t('content.bulk.playlist')} hint={t('content.bulk.playlist.hint')}>
              {(a) => (
                <select
                  {...a}
                  value={playlistId}
                  data-testid="bulk-playlist"
                  onChange={(e) => {
                    setPlaylistId(e.currentTarget.value);
                  }}
                >
                  <option value="">{t('content.bulk.playlist.none')}</option>
                  {doc.playlists.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          ) : null}
          <Checkbox
            class="content-check"
            label={t('content.bulk.asDraft')}
            checked={asDraft}
            onChange={setAsDraft}
          />
        </section>
      </div>
      <section aria-labelledby="bulk-preview" data-testid="bulk-preview">
        <h2 id="bulk-preview">{t('content.bulk.preview')}</h2>
        <p aria-live="polite" data-testid="bulk-summary">
          {lines.length === 0
            ? t('content.bulk.nothing')
            : t('content.bulk.summary', {
                n: lines.length,
                create: chosen.length,
                skip: lines.length - chosen.length,
              })}
        </p>
        {lines.length > 0 ? (
          <div class="content-table-wrap">
            <table class="table content-bulk-table" data-testid="bulk-table">
              <thead>
                <tr>
                  <th scope="col">{t('content.bulk.col.create')}</th>
                  <th scope="col">{t('content.bulk.col.line')}</th>
                  <th scope="col">{t('content.bulk.col.text')}</th>
                  <th scope="col">{t('field.id')}</th>
                  <th scope="col">{t('content.bulk.col.note')}</th>
                </tr>
              </thead>
              <tbody>
                {lines.map((l) => (
                  <tr
                    key={l.lineNo}
                    data-line={l.lineNo}
                    class={included(l) ? undefined : 'content-skipped'}
                  >
                    <td>
                      <input
                        type="checkbox"
                        checked={included(l)}
                        disabled={l.tooLong || running}
                        aria-label={t('content.bulk.createLine', {
                          line: l.lineNo,
                          text: shortText(l.text, 40),
                        })}
                        onChange={(e) => {
                          setChoice({ ...choice, [l.text]: e.currentTarget.checked });
                        }}
                      />
                    </td>
                    <td class="content-num">{l.lineNo}</td>
                    <td lang="vi">{l.text}</td>
                    <td>
                      <code>{l.id}</code>
                    </td>
                    <td>
                      {l.tooLong ? (
                        <span class="badge badge-rejected">{t('content.check.textLong')}</span>
                      ) : l.existing !== undefined ? (
                        <span class="badge badge-pending">
                          {t('content.bulk.exists', { id: l.existing })}
                        </span>
                      ) : l.repeatOf !== undefined ? (
                        <span class="badge badge-pending">
                          {t('content.bulk.repeat', { line: l.repeatOf })}
                        </span>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        {progress ? (
          <ProgressBar
            value={progress.done}
            max={Math.max(1, progress.total)}
            label={t('content.bulk.progress')}
            text={t('content.bulk.progressText', { done: progress.done, total: progress.total })}
            testId="bulk-progress"
          />
        ) : null}
        <ErrorNotice failure={checkFailure} />
        {outcome ? (
          <div data-testid="bulk-outcome">
            {outcome.failure ? (
              <ErrorNotice failure={outcome.failure.failure} title={outcome.failure.title} />
            ) : null}
            <SuccessNotice
              text={t('content.bulk.created', {
                n: outcome.created.length,
                total: outcome.total,
              })}
            />
            {outcome.created.length > 0 ? (
              <p class="hint">
                {t('content.bulk.createdIds')} {outcome.created.join(', ')}
              </p>
            ) : null}
            {outcome.playlist?.ok === true ? (
              <SuccessNotice text={t('content.bulk.addedTo', { name: outcome.playlist.name })} />
            ) : null}
            {outcome.playlist?.ok === false ? (
              <ErrorNotice failure={outcome.playlist.failure} title={outcome.playlist.title} />
            ) : null}
          </div>
        ) : null}
        <div class="content-actions">
          <a class="button" href={href('content')}>
            {t('action.cancel')}
          </a>
          <button
            type="button"
            class="primary"
            disabled={chosen.length === 0 || running}
            data-testid="bulk-create"
            onClick={() => void run()}
          >
            {t('content.bulk.submit', { n: chosen.length })}
          </button>
        </div>
      </section>
      <LeaveGuard dirty={text.trim() !== '' && outcome === null} />
    </>
  );
}
