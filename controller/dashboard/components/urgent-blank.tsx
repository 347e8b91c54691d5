import { useEffect, useState } from 'preact/hooks';
import type { ApiFailure } from '../api';
import { useI18n } from '../i18n';
import { useSession } from '../session';
import { formatInstant } from './approval-format';
import {
  ConfirmDialog,
  Dialog,
  ErrorNotice,
  Field,
  FormActions,
  Loading,
  SuccessNotice,
} from './ui';
import { useApiGet } from './use-api';

/** The words the controller wants in the body (controller/http/urgent-api.ts). */
const BLANK_WORD = 'BLANK-ALL';
const UNBLANK_WORD = 'UNBLANK-ALL';
/** Another approver may blank or restore the boards meanwhile: look again this often. */
const POLL_MS = 15_000;

type BlankState =
  | { blank: false }
  | { blank: true; since: string; by: string; byUsername?: string; reason?: string };

/**
 * Blank every board, and undo it: the current state first and prominently, then the switch,
 * which asks the user to type the confirmation word.
 */
export function BlankAllPanel(props: { timeZone: string }) {
  const { t, locale } = useI18n();
  const session = useSession();
  const state = useApiGet<BlankState>('/api/boards/blank-all');
  const [asking, setAsking] = useState<'blank' | 'unblank' | null>(null);
  const [failure, setFailure] = useState<ApiFailure | undefined>();
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const canBlank = session.can('POST /api/boards/blank-all');
  const canUnblank = session.can('POST /api/boards/unblank-all');

  useEffect(() => {
    const timer = setInterval(state.reload, POLL_MS);
    return () => {
      clearInterval(timer);
    };
  }, [state.reload]);

  const send = async (blank: boolean, reason?: string) => {
    setBusy(true);
    setFailure(undefined);
    setDone(null);
    const result = await session.api.request<{ online: number }>(
      'POST',
      blank ? '/api/boards/blank-all' : '/api/boards/unblank-all',
      blank ? { confirm: BLANK_WORD, ...(reason ? { reason } : {}) } : { confirm: UNBLANK_WORD },
    );
    setBusy(false);
    setAsking(null);
    if (!result.ok) {
      setFailure(result);
      return;
    }
    setDone(
      blank
        ? t('urgent.blank.done', { online: result.value.online })
        : t('urgent.unblank.done', { online: result.value.online }),
    );
    state.reload();
  };

  const current = state.data;
  return (
    <section
      aria-labelledby="urgent-blank-title"
      class={current?.blank ? 'urgent-blank urgent-blank-on' : 'urgent-blank'}
      data-testid="blank-all"
      data-blank={current ? String(current.blank) : undefined}
    >
      <h2 id="urgent-blank-title">{t('urgent.blank.title')}</h2>
      {state.loading && !current ? <Loading /> : null}
      <ErrorNotice failure={state.failure} />
      {current ? (
        <div class="urgent-blank-state" role="status" data-testid="blank-all-state">
          {current.blank ? (
            <>
              <p class="urgent-blank-headline">{t('urgent.blank.on')}</p>
              <p>
                {t('urgent.blank.since', {
                  at: formatInstant(locale, props.timeZone, current.since),
                  zone: props.timeZone,
                  by: current.byUsername ?? current.by,
                })}
              </p>
              {current.reason ? (
                <p>{t('urgent.blank.reason', { reason: current.reason })}</p>
              ) : null}
            </>
          ) : (
            <p class="urgent-blank-headline">{t('urgent.blank.off')}</p>
          )}
        </div>
      ) : null}
      <div class="toolbar">
        {current && !current.blank && canBlank ? (
          <button
            type="button"
            class="danger"
            data-testid="blank-all-open"
            onClick={() => {
              setDone(null);
              setAsking('blank');
            }}
          >
            {t('urgent.blank.open')}
          </button>
        ) : null}
        {current?.blank && canUnblank ? (
          <button
            type="button"
            class="primary"
            data-testid="unblank-all-open"
            onClick={() => {
              setDone(null);
              setAsking('unblank');
            }}
          >
            {t('urgent.unblank.open')}
          </button>
        ) : null}
      </div>
      <ErrorNotice failure={failure} />
      <SuccessNotice text={done} />
      {asking === 'blank' ? (
        <BlankDialog
          busy={busy}
          onCancel={() => {
            setAsking(null);
          }}
          onConfirm={(reason) => void send(true, reason)}
        />
      ) : null}
      <ConfirmDialog
        open={asking === 'unblank'}
        title={t('urgent.unblank.title')}
        message={t('urgent.unblank.message')}
        confirmLabel={t('urgent.unblank.confirm')}
        onConfirm={() => void send(false)}
        onCancel={() => {
          setAsking(null);
        }}
      />
    </section>
  );
}

function BlankDialog(props: {
  busy: boolean;
  onCancel: () => void;
  onConfirm: (reason: string) => void;
}) {
  const { t } = useI18n();
  const [typed, setTyped] = useState('');
  const [reason, setReason] = useState('');
  // The exact word, as the controller wants it: a lowercase one would be refused there.
  const confirmed = typed.trim() === BLANK_WORD;
  return (
    <Dialog open title={t('urgent.blank.dialogTitle')} onClose={props.onCancel}>
      <form
        data-testid="blank-all-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (confirmed) props.onConfirm(reason.trim());
        }}
      >
        <p class="notice notice-warn">{t('urgent.blank.warning')}</p>
        <Field label={`${t('urgent.blank.reasonLabel')} ${t('field.optional')}`}>
          {(a) => (
            <input
              {...a}
              maxLength={500}
              value={reason}
              onInput={(e) => {
                setReason(e.currentTarget.value);
              }}
            />
          )}
        </Field>
        <Field
          label={t('urgent.blank.typeLabel', { word: BLANK_WORD })}
          hint={t('urgent.blank.typeHint')}
        >
          {(a) => (
            <input
              {...a}
              autoComplete="off"
              spellcheck={false}
              value={typed}
              data-testid="blank-all-confirm-text"
              onInput={(e) => {
                setTyped(e.currentTarget.value);
              }}
            />
          )}
        </Field>
        <FormActions
          onCancel={props.onCancel}
          submitLabel={t('urgent.blank.confirm')}
          disabled={!confirmed || props.busy}
          danger
          testId="blank-all-confirm"
        />
      </form>
    </Dialog>
  );
}
