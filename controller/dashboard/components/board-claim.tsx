import { useState } from 'preact/hooks';
import type { ApiFailure } from '../api';
import { useI18n, type Translate } from '../i18n';
import type { Board } from '../plan-data';
import { useSession } from '../session';
import { BoardSelect, ErrorNotice, Field, SuccessNotice } from './ui';

interface PairedDevice {
  id: string;
  boardId: string;
}

/** Why a claim was refused, in words a technician at the board can act on; null: say it generally. */
function claimRefusal(t: Translate, failure: ApiFailure): string | null {
  if (failure.code === 'too_many_requests') return t('boards.claim.limited');
  if (failure.code === 'conflict') return t('boards.claim.gone');
  if (failure.code === 'not_found') {
    return /pairing code/i.test(failure.message)
      ? t('boards.claim.unknown')
      : t('boards.claim.noBoard');
  }
  return null;
}

/**
 * Binds the player showing a pairing code to a board: the code as read off the board's
 * screen, in any case, with or without the dash.
 */
export function BoardClaimForm(props: {
  boards: readonly Board[];
  boardId?: string;
  onClaimed?: (device: PairedDevice) => void;
}) {
  const { t } = useI18n();
  const session = useSession();
  const [code, setCode] = useState('');
  const [boardId, setBoardId] = useState(props.boardId ?? props.boards[0]?.id ?? '');
  const [failure, setFailure] = useState<ApiFailure | undefined>();
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const typed = code.replace(/[^A-Za-z0-9]/g, '');

  const submit = async (e: Event) => {
    e.preventDefault();
    if (typed === '' || boardId === '') return;
    setBusy(true);
    setFailure(undefined);
    setDone(null);
    const result = await session.api.request<PairedDevice>('POST', '/api/pairings/claim', {
      code: code.trim().slice(0, 32),
      boardId,
    });
    setBusy(false);
    if (!result.ok) {
      setFailure(result);
      return;
    }
    const name = props.boards.find((b) => b.id === boardId)?.name ?? boardId;
    setDone(t('boards.claim.done', { board: name, device: result.value.id }));
    setCode('');
    props.onClaimed?.(result.value);
    session.changed();
  };

  const refusal = failure ? claimRefusal(t, failure) : null;
  return (
    <form
      class="inline-form board-claim-form"
      onSubmit={(e) => void submit(e)}
      data-testid="claim-form"
    >
      <Field label={t('boards.claim.code')} hint={t('boards.claim.code.hint')}>
        {(a) => (
          <input
            {...a}
            class="board-code-input"
            value={code}
            maxLength={32}
            autoComplete="off"
            autoCapitalize="characters"
            spellcheck={false}
            placeholder={t('boards.claim.code.placeholder')}
            onInput={(e) => {
              setCode(e.currentTarget.value);
            }}
          />
        )}
      </Field>
      {props.boardId === undefined ? (
        <BoardSelect
          label={t('boards.claim.board')}
          boards={props.boards}
          value={boardId}
          onChange={setBoardId}
        />
      ) : null}
      <button type="submit" class="primary" disabled={busy || typed === '' || boardId === ''}>
        {t('boards.claim.submit')}
      </button>
      <div class="board-claim-result">
        {refusal ? (
          <p class="notice notice-error" role="alert" data-testid="claim-error">
            {refusal}
          </p>
        ) : (
          <ErrorNotice failure={failure} />
        )}
        <div data-testid="claim-done">
          <SuccessNotice text={done} />
        </div>
      </div>
    </form>
  );
}
