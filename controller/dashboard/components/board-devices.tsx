import { useState } from 'preact/hooks';
import type { Command, CommandResult } from '../../../playlists/protocol';
import type { ApiFailure } from '../api';
import { useI18n } from '../i18n';
import { useSession } from '../session';
import { DataTable, RowButton } from './data-table';
import { dateTimeIn } from './schedule-format';
import { ConfirmDialog, Dialog, ErrorNotice, Loading, SuccessNotice } from './ui';
import { useApiGet } from './use-api';

/** `GET /api/devices`: a paired player, live or revoked. */
interface Device {
  id: string;
  boardId: string;
  pairedAt: string;
  pairedBy: string;
  revokedAt?: string;
}

/** The players paired to one board, each revocable after a confirmation. */
export function BoardDevices(props: { boardId: string; timeZone: string }) {
  const { t } = useI18n();
  const session = useSession();
  const devices = useApiGet<Device[]>('/api/devices');
  const [revoking, setRevoking] = useState<Device | 'all' | null>(null);
  const [failure, setFailure] = useState<ApiFailure | undefined>();
  const [done, setDone] = useState<string | null>(null);
  const canRevoke = session.can('POST /api/devices/:id/revoke');
  const canRevokeAll = session.can('POST /api/boards/:id/revoke');
  const mine = (devices.data ?? [])
    .filter((d) => d.boardId === props.boardId)
    .sort((a, b) => Number(a.revokedAt !== undefined) - Number(b.revokedAt !== undefined));
  const liveCount = mine.filter((d) => d.revokedAt === undefined).length;
  const when = (iso: string) => dateTimeIn(props.timeZone, Date.parse(iso));

  const revoke = async (target: Device | 'all') => {
    setRevoking(null);
    setFailure(undefined);
    setDone(null);
    const path =
      target === 'all'
        ? `/api/boards/${encodeURIComponent(props.boardId)}/revoke`
        : `/api/devices/${encodeURIComponent(target.id)}/revoke`;
    const result = await session.api.request<{ revoked: string[] }>('POST', path);
    if (!result.ok) {
      setFailure(result);
      return;
    }
    setDone(t('boards.devices.revoked', { n: result.value.revoked.length }));
    devices.reload();
  };

  return (
    <div data-testid="board-devices">
      {devices.loading && !devices.data ? <Loading /> : null}
      <ErrorNotice failure={devices.failure} />
      {devices.data && mine.length === 0 ? <p>{t('boards.devices.none')}</p> : null}
      {mine.length > 0 ? (
        <DataTable
          wrapClass="board-scroll"
          rows={mine}
          rowKey={(d) => d.id}
          rowAttributes={(d) => ({
            'data-device': d.id,
            'data-revoked': String(d.revokedAt !== undefined),
          })}
          columns={[
            {
              header: t('boards.devices.device'),
              rowHeader: true,
              cell: (d) => <code>{d.id}</code>,
            },
            { header: t('boards.devices.pairedAt'), cell: (d) => when(d.pairedAt) },
            {
              header: t('boards.devices.state'),
              cell: (d) =>
                d.revokedAt === undefined ? (
                  <span class="badge badge-approved">{t('boards.devices.live')}</span>
                ) : (
                  <span class="badge badge-draft">
                    {t('boards.devices.revokedAt', { at: when(d.revokedAt) })}
                  </span>
                ),
            },
          ]}
          actions={
            canRevoke
              ? {
                  header: t('boards.devices.revoke'),
                  cell: (d) =>
                    d.revokedAt === undefined ? (
                      <RowButton
                        label={t('boards.devices.revoke')}
                        name={t('boards.devices.revokeOne', { id: d.id })}
                        onClick={() => {
                          setRevoking(d);
                        }}
                      />
                    ) : null,
                }
              : undefined
          }
        />
      ) : null}
      {canRevokeAll && liveCount > 1 ? (
        <p>
          <button
            type="button"
            onClick={() => {
              setRevoking('all');
            }}
          >
            {t('boards.devices.revokeAll', { n: liveCount })}
          </button>
        </p>
      ) : null}
      <ErrorNotice failure={failure} />
      <SuccessNotice text={done} />
      <ConfirmDialog
        open={revoking !== null}
        title={t('boards.devices.confirm.title')}
        message={
          revoking === 'all'
            ? t('boards.devices.confirm.all', { n: liveCount })
            : t('boards.devices.confirm', { id: revoking?.id ?? '' })
        }
        confirmLabel={t('boards.devices.revoke')}
        danger
        onConfirm={() => {
          if (revoking) void revoke(revoking);
        }}
        onCancel={() => {
          setRevoking(null);
        }}
      />
    </div>
  );
}

const COMMANDS = [
  'reload',
  'identify',
  'blank',
  'unblank',
  'screenshot',
] as const satisfies readonly Command['type'][];
type CommandType = (typeof COMMANDS)[number];

/** Remote commands to the board's online players; a screenshot opens in a dialog. */
export function BoardCommands(props: { boardId: string; boardName: string; online: boolean }) {
  const { t } = useI18n();
  const session = useSession();
  const [busy, setBusy] = useState<CommandType | null>(null);
  const [confirmBlank, setConfirmBlank] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | undefined>();
  const [report, setReport] = useState<{ type: CommandType; results: CommandResult[] } | null>(
    null,
  );
  const [shots, setShots] = useState<string[] | null>(null);

  const send = async (type: CommandType) => {
    setBusy(type);
    setFailure(undefined);
    setReport(null);
    const result = await session.api.request<{ results: CommandResult[] }>(
      'POST',
      `/api/boards/${encodeURIComponent(props.boardId)}/commands`,
      { type },
    );
    setBusy(null);
    if (!result.ok) {
      setFailure(result);
      return;
    }
    setReport({ type, results: result.value.results });
    if (type === 'screenshot') {
      const images = result.value.results.flatMap((r) => (r.ok && r.data ? [r.data] : []));
      if (images.length > 0) setShots(images);
    }
  };

  const ok = report?.results.filter((r) => r.ok).length ?? 0;
  const offline = failure?.code === 'conflict';
  return (
    <div data-testid="board-commands">
      {!props.online ? <p class="hint">{t('boards.cmd.offlineHint')}</p> : null}
      <div class="toolbar board-command-buttons">
        {COMMANDS.map((type) => (
          <button
            key={type}
            type="button"
            data-command={type}
            disabled={busy !== null}
            aria-describedby={`cmd-hint-${type}`}
            onClick={() => {
              if (type === 'blank') setConfirmBlank(true);
              else void send(type);
            }}
          >
            {busy === type ? t('boards.cmd.sending') : t(`boards.cmd.${type}`)}
          </button>
        ))}
      </div>
      <ul class="board-command-hints hint">
        {COMMANDS.map((type) => (
          <li key={type} id={`cmd-hint-${type}`}>
            <strong>{t(`boards.cmd.${type}`)}</strong>: {t(`boards.cmd.${type}.hint`)}
          </li>
        ))}
      </ul>
      {offline ? (
        <p class="notice notice-error" role="alert" data-testid="command-offline">
          {t('boards.cmd.offline')}
        </p>
      ) : (
        <ErrorNotice failure={failure} />
      )}
      <div data-testid="command-result">
        <SuccessNotice
          text={
            report
              ? t('boards.cmd.done', {
                  command: t(`boards.cmd.${report.type}`),
                  ok,
                  n: report.results.length,
                })
              : null
          }
        />
        {report && report.results.some((r) => !r.ok) ? (
          <ul class="problems">
            {report.results
              .filter((r) => !r.ok)
              .map((r) => (
                <li key={r.id}>{t('boards.cmd.failed', { error: r.error ?? '' })}</li>
              ))}
          </ul>
        ) : null}
      </div>
      <ConfirmDialog
        open={confirmBlank}
        title={t('boards.cmd.blank')}
        message={t('boards.cmd.blank.confirm', { name: props.boardName })}
        confirmLabel={t('boards.cmd.blank')}
        danger
        onConfirm={() => {
          setConfirmBlank(false);
          void send('blank');
        }}
        onCancel={() => {
          setConfirmBlank(false);
        }}
      />
      <Dialog
        open={shots !== null}
        wide
        title={t('boards.shot.title', { name: props.boardName })}
        onClose={() => {
          setShots(null);
        }}
      >
        <div class="board-screenshots" data-testid="screenshot-dialog">
          {(shots ?? []).map((src, i) => (
            <figure key={src.slice(-32)}>
              <img src={src} alt={t('boards.shot.alt', { name: props.boardName, n: i + 1 })} />
              <figcaption>
                <a href={src} download={`${props.boardId}-${String(i + 1)}.png`}>
                  {t('boards.shot.download')}
                </a>
              </figcaption>
            </figure>
          ))}
        </div>
        <div class="dialog-actions">
          <button
            type="button"
            onClick={() => {
              setShots(null);
            }}
          >
            {t('action.close')}
          </button>
        </div>
      </Dialog>
    </div>
  );
}
