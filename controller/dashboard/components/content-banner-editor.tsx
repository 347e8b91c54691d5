import { useMemo, useState } from 'preact/hooks';
import type { Banner } from '../../../playlists/plan';
import type { ApiFailure } from '../api';
import { useI18n, type Translate } from '../i18n';
import {
  entityPath,
  freeId,
  saveQuery,
  slugify,
  type Board,
  type PlanWithApproval,
} from '../plan-data';
import { href } from '../router';
import { isValidId, isValidDuration } from './schedule-format';
import { useSession } from '../session';
import {
  BoardPicker,
  ContentPreview,
  DurationField,
  EditorActions,
  FixedId,
  NewIdField,
  ProgressBar,
  findAsset,
  formatNumber,
  type AssetInfo,
} from './content-shared';
import { LeaveGuard } from './leave-guard';
import { parseNumber } from './content-slogan-editor';
import {
  ErrorNotice,
  Field,
  FileInput,
  PageHeader,
  RadioGroup,
  StatusBadge,
  SuccessNotice,
} from './ui';

type Fit = NonNullable<Banner['fit']>;
const FITS: readonly Fit[] = ['contain', 'cover', 'fill', 'none'];
const TYPES: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
};
// controller/assets/service.ts MAX_ASSET_BYTES: refused before a long upload, not after.
const MAX_BYTES = 20 * 1024 * 1024;
const NAME_PATTERN = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/;

interface Draft {
  id: string;
  asset: string;
  durationSec: string;
  fit: Fit;
  background?: string;
}

function draftOf(original: Banner | undefined): Draft {
  if (!original) return { id: '', asset: '', durationSec: '10', fit: 'contain' };
  return {
    id: original.id,
    asset: original.asset,
    durationSec: original.durationSec === undefined ? '' : String(original.durationSec),
    fit: original.fit ?? 'contain',
    ...(original.style?.background ? { background: original.style.background } : {}),
  };
}

function bannerOf(draft: Draft, fallbackId: string): Banner {
  const durationSec = parseNumber(draft.durationSec);
  return {
    id: draft.id || fallbackId,
    kind: 'banner',
    asset: draft.asset,
    ...(durationSec === undefined || Number.isNaN(durationSec) ? {} : { durationSec }),
    fit: draft.fit,
    ...(draft.background ? { style: { background: draft.background } } : {}),
  };
}

/** A file name the controller accepts, made from the user's file name and not already taken. */
export function serverFileName(file: File, taken: readonly AssetInfo[]): string {
  const ext = TYPES[file.type] ?? file.name.split('.').pop()?.toLowerCase() ?? 'png';
  const base = slugify(file.name.replace(/\.[^.]*$/, '')) || 'banner';
  const names = new Set(taken.map((a) => a.name));
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? `${base}.${ext}` : `${base}-${n}.${ext}`;
    if (!names.has(candidate)) return candidate;
  }
}

function checkDraft(
  t: Translate,
  draft: Draft,
  isNew: boolean,
  takenIds: readonly string[],
): ApiFailure | undefined {
  const problems: ApiFailure['problems'] = [];
  if (draft.asset === '') {
    problems.push({ path: t('content.banner.asset'), message: t('content.check.noAsset') });
  }
  if (isNew) {
    if (!isValidId(draft.id)) {
      problems.push({ path: t('field.id'), message: t('field.id.hint') });
    } else if (takenIds.includes(draft.id)) {
      problems.push({ path: t('field.id'), message: t('content.check.idTaken') });
    }
  }
  const duration = parseNumber(draft.durationSec);
  if (duration !== undefined && !isValidDuration(duration)) {
    problems.push({ path: t('content.duration'), message: t('content.check.duration') });
  }
  if (problems.length === 0) return undefined;
  return { ok: false, status: 0, code: 'invalid_request', message: '', problems };
}

/** Uploads an image (with a progress bar) and makes it a banner, previewed at a board's size. */
export function BannerEditor(props: {
  doc: PlanWithApproval;
  assets: AssetInfo[];
  reloadAssets: () => void;
  board: Board;
  onBoard: (boardId: string) => void;
  onDone: (message: string) => void;
  original?: Banner;
}) {
  const { t, locale } = useI18n();
  const session = useSession();
  const { doc, original, board } = props;
  const initial = useMemo(() => draftOf(original), [original]);
  const [draft, setDraft] = useState<Draft>(initial);
  const [idTouched, setIdTouched] = useState(original !== undefined);
  const [failure, setFailure] = useState<{ failure: ApiFailure; title?: string } | undefined>();
  const [busy, setBusy] = useState(false);
  // Uploads this editor made, so a new file is usable before the asset list has reloaded.
  const [uploaded, setUploaded] = useState<AssetInfo[]>([]);
  const [file, setFile] = useState<File | null>(null);
  const [fileName, setFileName] = useState('');
  const [progress, setProgress] = useState<number | null>(null);
  const [uploadFailure, setUploadFailure] = useState<ApiFailure | undefined>();
  const [uploadDone, setUploadDone] = useState<string | null>(null);
  const isNew = original === undefined;
  const dirty = JSON.stringify(draft) !== JSON.stringify(initial);
  const approval = original ? doc.approval.content?.[original.id] : undefined;
  const takenIds = doc.content.map((c) => c.id);
  const assets = [
    ...uploaded,
    ...props.assets.filter((a) => !uploaded.some((u) => u.name === a.name)),
  ].sort((a, b) => a.name.localeCompare(b.name));
  const canUpload = session.can('POST /api/assets');
  const chosen = findAsset(assets, draft.asset);

  const chooseAsset = (name: string) => {
    setDraft((d) => ({
      ...d,
      asset: name,
      ...(isNew && !idTouched && name
        ? { id: freeId(`banner-${slugify(name.replace(/\.[^.]*$/, ''))}`, takenIds) }
        : {}),
    }));
  };

  const pick = (f: File | null) => {
    setFile(f);
    setUploadFailure(undefined);
    setUploadDone(null);
    setProgress(null);
    setFileName(f ? serverFileName(f, assets) : '');
  };

  const upload = async () => {
    if (!file) return;
    const problems: ApiFailure['problems'] = [];
    if (!(file.type in TYPES)) {
      problems.push({ path: file.name, message: t('content.upload.badType') });
    }
    if (file.size > MAX_BYTES) {
      problems.push({ path: file.name, message: t('content.upload.tooBig') });
    }
    if (!NAME_PATTERN.test(fileName)) {
      problems.push({ path: t('content.upload.name'), message: t('content.upload.nameHint') });
    }
    if (problems.length > 0) {
      setUploadFailure({ ok: false, status: 0, code: 'invalid_request', message: '', problems });
      return;
    }
    setUploadFailure(undefined);
    setUploadDone(null);
    setProgress(0);
    const result = await session.api.upload<AssetInfo>(
      `/api/assets?name=${encodeURIComponent(fileName)}`,
      file,
      setProgress,
      { 'content-type': file.type },
    );
    if (!result.ok) {
      setProgress(null);
      setUploadFailure(result);
      return;
    }
    setProgress(1);
    const asset = result.value;
    setUploaded((list) => [asset, ...list.filter((a) => a.name !== asset.name)]);
    chooseAsset(asset.name);
    setUploadDone(t('content.upload.done', { name: asset.name, w: asset.width, h: asset.height }));
    setFile(null);
    props.reloadAssets();
  };

  const save = async (asDraft: boolean) => {
    const problem = checkDraft(t, draft, isNew, takenIds);
    if (problem) {
      setFailure({ failure: problem });
      return;
    }
    setBusy(true);
    setFailure(undefined);
    const banner = bannerOf(draft, draft.id);
    const query = saveQuery(doc, 'content', isNew ? null : banner.id, asDraft);
    const { id, ...body } = banner;
    const result = isNew
      ? await session.api.request('POST', `${entityPath(doc.plan.id, 'content')}${query}`, banner)
      : await session.api.request('PUT', `${entityPath(doc.plan.id, 'content', id)}${query}`, body);
    setBusy(false);
    if (!result.ok) {
      setFailure({ failure: result, title: t('content.save.refused') });
      return;
    }
    props.onDone(
      asDraft
        ? t('content.savedDraft', { name: banner.asset })
        : t('content.savedPending', { name: banner.asset }),
    );
  };

  const uploading = progress !== null && progress < 1 && uploadFailure === undefined;
  const preview = draft.asset ? bannerOf(draft, 'preview') : null;

  return (
    <>
      <PageHeader title={isNew ? t('content.banner.newTitle') : t('content.banner.editTitle')}>
        <a href={href('content')}>{t('content.back')}</a>
      </PageHeader>
      {approval ? (
        <p class="content-state">
          <StatusBadge status={approval.status} /> {t('content.reapproval')}
        </p>
      ) : (
        <p class="hint">{t('content.approvalNote')}</p>
      )}
      <div class="columns">
        <div>
          {canUpload ? (
            <section aria-labelledby="banner-upload" data-testid="banner-upload">
              <h2 id="banner-upload">{t('content.upload.title')}</h2>
              <FileInput
                label={t('content.upload.file')}
                hint={t('content.upload.hint')}
                accept="image/png,image/jpeg,image/webp,.png,.jpg,.jpeg,.webp"
                name="banner-file"
                file={file}
                onFile={pick}
              />
              {file ? (
                <div class="inline-form">
                  <Field label={t('content.upload.name')} hint={t('content.upload.nameHint')}>
                    {(a) => (
                      <input
                        {...a}
                        value={fileName}
                        spellcheck={false}
                        data-testid="banner-file-name"
                        onInput={(e) => {
                          setFileName(e.currentTarget.value);
                        }}
                      />
                    )}
                  </Field>
                  <button
                    type="button"
                    class="primary"
                    disabled={uploading}
                    data-testid="banner-upload-submit"
                    onClick={() => void upload()}
                  >
                    {t('content.upload.submit')}
                  </button>
                </div>
              ) : null}
              {progress !== null ? (
                <ProgressBar
                  value={Math.round(progress * 100)}
                  max={100}
                  label={t('content.upload.progress')}
                  text={
                    progress >= 1
                      ? t('content.upload.complete')
                      : t('content.upload.percent', { n: Math.round(progress * 100) })
                  }
                  testId="banner-upload-progress"
                />
              ) : null}
              <ErrorNotice failure={uploadFailure} title={t('content.upload.refused')} />
              <SuccessNotice text={uploadDone} />
            </section>
          ) : null}
          <form
            class="content-editor"
            data-testid="banner-form"
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              void save(false);
            }}
          >
            <section aria-labelledby="banner-fields">
              <h2 id="banner-fields">{t('content.banner.fields')}</h2>
              <Field label={t('content.banner.asset')} hint={t('content.banner.asset.hint')}>
                {(a) => (
                  <select
                    {...a}
                    value={draft.asset}
                    data-testid="banner-asset"
                    onChange={(e) => {
                      chooseAsset(e.currentTarget.value);
                    }}
                  >
                    <option value="">{t('content.banner.asset.none')}</option>
                    {draft.asset && !chosen ? (
                      <option value={draft.asset}>{draft.asset}</option>
                    ) : null}
                    {assets.map((as) => (
                      <option key={as.name} value={as.name}>
                        {as.name} ({t('unit.px', { w: as.width, h: as.height })})
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              {chosen ? (
                <p class="hint" data-testid="banner-size">
                  {t('content.banner.sizes', {
                    w: chosen.width,
                    h: chosen.height,
                    bw: board.width,
                    bh: board.height,
                    kb: formatNumber(locale, Math.round(chosen.size / 1024)),
                  })}
                </p>
              ) : draft.asset ? (
                <p class="notice notice-warn">{t('content.banner.missingAsset')}</p>
              ) : null}
              {isNew ? (
                <NewIdField
                  id={draft.id}
                  testId="banner-id"
                  onInput={(id) => {
                    setIdTouched(true);
                    setDraft({ ...draft, id });
                  }}
                />
              ) : (
                <FixedId id={draft.id} />
              )}
              <DurationField
                kind="banner"
                value={draft.durationSec}
                testId="banner-duration"
                onInput={(durationSec) => {
                  setDraft({ ...draft, durationSec });
                }}
              />
              <RadioGroup
                legend={t('content.banner.fit')}
                value={draft.fit}
                options={FITS.map((f) => ({
                  value: f,
                  label: t(`content.fit.${f}`),
                  hint: t(`content.fit.${f}.hint`),
                }))}
                onChange={(fit) => {
                  setDraft({ ...draft, fit });
                }}
              />
              <Field
                label={t('content.banner.background')}
                hint={t('content.banner.background.hint')}
              >
                {(a) => (
                  <input
                    {...a}
                    type="color"
                    value={draft.background ?? '#000000'}
                    data-testid="banner-background"
                    onInput={(e) => {
                      setDraft({ ...draft, background: e.currentTarget.value });
                    }}
                  />
                )}
              </Field>
            </section>
            <EditorActions
              failure={failure}
              cancelHref={href('content')}
              disabled={busy || uploading}
              busy={busy}
              testIdPrefix="banner"
              submitsForm
              onSave={(asDraft) => void save(asDraft)}
            />
          </form>
        </div>
        <section aria-labelledby="banner-preview" class="content-preview-panel">
          <h2 id="banner-preview">{t('content.preview.title')}</h2>
          <BoardPicker boards={doc.boards} value={board.id} onChange={props.onBoard} />
          {preview ? (
            <ContentPreview
              info={doc.plan}
              board={board}
              content={preview}
              assets={assets}
              testId="banner-preview"
            />
          ) : (
            <p class="hint">{t('content.banner.noPreview')}</p>
          )}
        </section>
      </div>
      <LeaveGuard dirty={(dirty || file !== null) && !busy} />
    </>
  );
}
