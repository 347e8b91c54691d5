import { useState } from 'preact/hooks';
import type { ApiFailure } from '../api';
import { formatInstant, useDisplayZone } from '../components/approval-format';
import { DataTable, RowButton } from '../components/data-table';
import {
  DeleteDialog,
  Dialog,
  ErrorNotice,
  Field,
  FormActions,
  Loading,
  PageHeader,
  SuccessNotice,
} from '../components/ui';
import { useApiGet } from '../components/use-api';
import { useI18n } from '../i18n';
import { useSession, type Role } from '../session';

/** `GET /api/users`: a user without their password hash. */
interface UserRow {
  id: string;
  username: string;
  displayName?: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
}

const ROLES: Role[] = ['admin', 'editor', 'approver', 'technician', 'viewer'];
const USERNAME = /^[a-z0-9._-]{3,32}$/;

/** The controller's password rule (controller/auth/secrets.ts), checked before sending. */
function passwordOk(password: string): boolean {
  return password.length >= 10 && password.length <= 200 && new Set(password).size >= 4;
}

export function UsersPage() {
  const { t, locale } = useI18n();
  const session = useSession();
  const users = useApiGet<UserRow[]>('/api/users');
  const zone = useDisplayZone();
  const [failure, setFailure] = useState<ApiFailure | undefined>();
  const [done, setDone] = useState<string | null>(null);
  const [resetting, setResetting] = useState<UserRow | null>(null);
  const [deleting, setDeleting] = useState<UserRow | null>(null);
  const [tokensOf, setTokensOf] = useState<UserRow | null>(null);
  const canCreate = session.can('POST /api/users');
  const canTokens = session.can('GET /api/users/:id/tokens');
  const canPatch = session.can('PATCH /api/users/:id');
  const canDelete = session.can('DELETE /api/users/:id');
  const me = session.me.user.id;

  const patch = async (user: UserRow, body: Partial<UserRow>, success: string) => {
    setFailure(undefined);
    setDone(null);
    const result = await session.api.request<UserRow>(
      'PATCH',
      `/api/users/${encodeURIComponent(user.id)}`,
      body,
    );
    if (!result.ok) {
      setFailure(result);
      return;
    }
    setDone(success);
    users.reload();
  };

  const remove = async (user: UserRow) => {
    setFailure(undefined);
    setDone(null);
    const result = await session.api.request('DELETE', `/api/users/${encodeURIComponent(user.id)}`);
    setDeleting(null);
    if (!result.ok) {
      setFailure(result);
      return;
    }
    setDone(t('users.deleted', { user: user.username }));
    users.reload();
  };

  return (
    <>
      <PageHeader title={t('users.title')} />
      {canCreate ? (
        <CreateUser
          onAttempt={() => {
            // A notice of an earlier success under this attempt's refusal would read as its outcome.
            setDone(null);
            setFailure(undefined);
          }}
          onCreated={(u) => {
            setDone(t('users.created', { user: u.username, role: t(`role.${u.role}`) }));
            users.reload();
          }}
        />
      ) : null}
      <section aria-labelledby="users-list">
        <h2 id="users-list">{t('users.list')}</h2>
        <ErrorNotice failure={failure} />
        <SuccessNotice text={done} />
        {users.loading && !users.data ? <Loading /> : null}
        <ErrorNotice failure={users.failure} />
        {users.data ? (
          <DataTable
            wrapClass="approval-scroll"
            tableClass="users-table"
            testId="users-table"
            caption={t('users.list')}
            rows={users.data}
            rowKey={(u) => u.id}
            rowAttributes={(u) => ({
              'data-user': u.username,
              ...(u.disabled ? { class: 'users-disabled' } : {}),
            })}
            columns={[
              {
                header: t('users.username'),
                rowHeader: true,
                cell: (u) => (
                  <>
                    {u.username}
                    {u.id === me ? <span class="hint"> {t('users.you')}</span> : null}
                  </>
                ),
              },
              { header: t('users.displayName'), cell: (u) => u.displayName ?? '' },
              {
                header: t('users.role'),
                cell: (u) =>
                  canPatch && u.id !== me ? (
                    <select
                      value={u.role}
                      aria-label={t('users.roleOf', { user: u.username })}
                      data-testid="user-role"
                      onChange={(e) => {
                        const role = e.currentTarget.value as Role;
                        void patch(
                          u,
                          { role },
                          t('users.roleChanged', { user: u.username, role: t(`role.${role}`) }),
                        );
                      }}
                    >
                      {ROLES.map((r) => (
                        <option key={r} value={r}>
                          {t(`role.${r}`)}
                        </option>
                      ))}
                    </select>
                  ) : (
                    t(`role.${u.role}`)
                  ),
              },
              {
                header: t('users.state'),
                cell: (u) => (
                  <span class={u.disabled ? 'badge badge-offline' : 'badge badge-online'}>
                    {u.disabled ? t('users.disabled') : t('users.active')}
                  </span>
                ),
              },
              {
                header: t('users.createdAt', { zone }),
                cell: (u) => formatInstant(locale, zone, u.createdAt),
              },
            ]}
            actions={{
              header: t('users.actions'),
              cell: (u) =>
                u.id === me ? null : (
                  <>
                    {canPatch ? (
                      <RowButton
                        small={false}
                        label={u.disabled ? t('users.enable') : t('users.disable')}
                        name={
                          u.disabled
                            ? t('users.enableUser', { user: u.username })
                            : t('users.disableUser', { user: u.username })
                        }
                        onClick={() =>
                          void patch(
                            u,
                            { disabled: !u.disabled },
                            u.disabled
                              ? t('users.enabled', { user: u.username })
                              : t('users.disabledDone', { user: u.username }),
                          )
                        }
                      />
                    ) : null}
                    {canPatch ? (
                      <RowButton
                        small={false}
                        label={t('users.reset')}
                        name={t('users.resetUser', { user: u.username })}
                        onClick={() => {
                          setResetting(u);
                        }}
                      />
                    ) : null}
                    {canTokens ? (
                      <RowButton
                        small={false}
                        label={t('users.tokens')}
                        name={t('users.tokensOf', { user: u.username })}
                        onClick={() => {
                          setTokensOf(u);
                        }}
                      />
                    ) : null}
                    {canDelete ? (
                      <RowButton
                        small={false}
                        label={t('action.delete')}
                        name={t('users.deleteUser', { user: u.username })}
                        onClick={() => {
                          setDeleting(u);
                        }}
                      />
                    ) : null}
                  </>
                ),
            }}
          />
        ) : null}
      </section>
      <section aria-labelledby="users-roles">
        <h2 id="users-roles">{t('users.roles')}</h2>
        <dl class="users-roles">
          {ROLES.map((r) => (
            <div key={r}>
              <dt>{t(`role.${r}`)}</dt>
              <dd>{t(`users.roleHelp.${r}`)}</dd>
            </div>
          ))}
        </dl>
      </section>
      {resetting ? (
        <ResetPassword
          user={resetting}
          onClose={(changed) => {
            if (changed) setDone(t('users.resetDone', { user: resetting.username }));
            setResetting(null);
          }}
        />
      ) : null}
      {tokensOf ? (
        <UserTokens
          user={tokensOf}
          onClose={() => {
            setTokensOf(null);
          }}
        />
      ) : null}
      <DeleteDialog
        item={deleting}
        title={t('users.deleteTitle')}
        message={(u) => t('users.deleteConfirm', { user: u.username })}
        onDelete={(u) => void remove(u)}
        onCancel={() => {
          setDeleting(null);
        }}
      />
    </>
  );
}

/** A password being set, with the rule it must meet as its hint. */
function NewPasswordField(props: {
  label: string;
  value: string;
  invalid: boolean;
  onInput: (value: string) => void;
}) {
  const { t } = useI18n();
  return (
    <Field label={props.label} hint={t('users.passwordHint')}>
      {(a) => (
        <input
          {...a}
          type="password"
          required
          autoComplete="new-password"
          value={props.value}
          aria-invalid={props.invalid ? 'true' : undefined}
          onInput={(e) => {
            props.onInput(e.currentTarget.value);
          }}
        />
      )}
    </Field>
  );
}

function CreateUser(props: { onAttempt: () => void; onCreated: (user: UserRow) => void }) {
  const { t } = useI18n();
  const session = useSession();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [role, setRole] = useState<Role>('editor');
  const [password, setPassword] = useState('');
  const [tried, setTried] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | undefined>();
  const [busy, setBusy] = useState(false);
  const nameBad = !USERNAME.test(username);
  const passwordBad = !passwordOk(password);

  const submit = async (e: Event) => {
    e.preventDefault();
    setTried(true);
    setFailure(undefined);
    props.onAttempt();
    if (nameBad || passwordBad) return;
    setBusy(true);
    const result = await session.api.request<UserRow>('POST', '/api/users', {
      username,
      password,
      role,
      ...(displayName.trim() ? { displayName: displayName.trim().normalize('NFC') } : {}),
    });
    setBusy(false);
    if (!result.ok) {
      setFailure(result);
      return;
    }
    setUsername('');
    setDisplayName('');
    setPassword('');
    setTried(false);
    props.onCreated(result.value);
  };

  return (
    <section aria-labelledby="users-create">
      <h2 id="users-create">{t('users.create')}</h2>
      <form noValidate onSubmit={(e) => void submit(e)} data-testid="user-create-form">
        <div class="field-row">
          <Field label={t('users.username')} hint={t('users.usernameHint')}>
            {(a) => (
              <input
                {...a}
                required
                autoComplete="off"
                autoCapitalize="none"
                spellcheck={false}
                value={username}
                aria-invalid={tried && nameBad ? 'true' : undefined}
                onInput={(e) => {
                  setUsername(e.currentTarget.value.trim().toLowerCase());
                }}
              />
            )}
          </Field>
          <Field label={`${t('users.displayName')} ${t('field.optional')}`}>
            {(a) => (
              <input
                {...a}
                maxLength={200}
                value={displayName}
                onInput={(e) => {
                  setDisplayName(e.currentTarget.value);
                }}
              />
            )}
          </Field>
        </div>
        <div class="field-row">
          <Field label={t('users.role')}>
            {(a) => (
              <select
                {...a}
                value={role}
                onChange={(e) => {
                  setRole(e.currentTarget.value as Role);
                }}
              >
                {ROLES.map((r) => (
                  <option key={r} value={r}>
                    {t(`role.${r}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <NewPasswordField
            label={t('users.password')}
            value={password}
            invalid={tried && passwordBad}
            onInput={setPassword}
          />
        </div>
        {tried && (nameBad || passwordBad) ? (
          <ul class="form-error" role="alert">
            {nameBad ? <li>{t('users.usernameBad')}</li> : null}
            {passwordBad ? <li>{t('users.passwordBad')}</li> : null}
          </ul>
        ) : null}
        <ErrorNotice failure={failure} />
        <button type="submit" class="primary" disabled={busy}>
          {t('users.createSubmit')}
        </button>
      </form>
    </section>
  );
}

function ResetPassword(props: { user: UserRow; onClose: (changed: boolean) => void }) {
  const { t } = useI18n();
  const session = useSession();
  const [password, setPassword] = useState('');
  const [tried, setTried] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | undefined>();
  const bad = !passwordOk(password);
  const submit = async (e: Event) => {
    e.preventDefault();
    setTried(true);
    if (bad) return;
    const result = await session.api.request(
      'PATCH',
      `/api/users/${encodeURIComponent(props.user.id)}`,
      { password },
    );
    if (result.ok) props.onClose(true);
    else setFailure(result);
  };
  return (
    <Dialog
      open
      title={t('users.resetTitle', { user: props.user.username })}
      onClose={() => {
        props.onClose(false);
      }}
    >
      <form noValidate onSubmit={(e) => void submit(e)} data-testid="user-reset-form">
        <p>{t('users.resetExplain')}</p>
        <NewPasswordField
          label={t('users.newPassword')}
          value={password}
          invalid={tried && bad}
          onInput={setPassword}
        />
        {tried && bad ? (
          <p class="form-error" role="alert">
            {t('users.passwordBad')}
          </p>
        ) : null}
        <FormActions
          failure={failure}
          onCancel={() => {
            props.onClose(false);
          }}
          submitLabel={t('users.resetSubmit')}
        />
      </form>
    </Dialog>
  );
}

interface TokenRow {
  id: string;
  name: string;
  createdAt: string;
}

/**
 * A user's API tokens (scripts, the CLI), each revocable by an admin: a token made by someone
 * who no longer should have it goes without touching the user's password.
 */
function UserTokens(props: { user: UserRow; onClose: () => void }) {
  const { t, locale } = useI18n();
  const session = useSession();
  const zone = useDisplayZone();
  const path = `/api/users/${encodeURIComponent(props.user.id)}/tokens`;
  const tokens = useApiGet<TokenRow[]>(path);
  const [failure, setFailure] = useState<ApiFailure | undefined>();
  const [done, setDone] = useState<string | null>(null);
  const canRevoke = session.can('DELETE /api/users/:id/tokens/:tokenId');
  const revoke = async (token: TokenRow) => {
    setFailure(undefined);
    setDone(null);
    const result = await session.api.request('DELETE', `${path}/${encodeURIComponent(token.id)}`);
    if (!result.ok) {
      setFailure(result);
      return;
    }
    setDone(t('users.tokenRevoked', { name: token.name }));
    tokens.reload();
  };
  return (
    <Dialog
      open
      title={t('users.tokensTitle', { user: props.user.username })}
      onClose={props.onClose}
    >
      <div data-testid="user-tokens">
        <p class="hint">{t('users.tokensExplain')}</p>
        <SuccessNotice text={done} />
        <ErrorNotice failure={failure ?? tokens.failure} />
        {tokens.loading && !tokens.data ? <Loading /> : null}
        {tokens.data && tokens.data.length === 0 ? <p>{t('users.tokensNone')}</p> : null}
        {tokens.data && tokens.data.length > 0 ? (
          <ul class="user-tokens">
            {tokens.data.map((token) => (
              <li key={token.id} data-token={token.name}>
                <span>
                  <strong>{token.name}</strong>{' '}
                  <small class="hint">
                    {t('users.tokenCreated', { at: formatInstant(locale, zone, token.createdAt) })}
                  </small>
                </span>
                {canRevoke ? (
                  <button
                    type="button"
                    class="danger small"
                    aria-label={t('users.tokenRevokeNamed', { name: token.name })}
                    onClick={() => void revoke(token)}
                  >
                    {t('users.tokenRevoke')}
                  </button>
                ) : null}
              </li>
            ))}
          </ul>
        ) : null}
        <div class="dialog-actions">
          <button type="button" onClick={props.onClose}>
            {t('action.close')}
          </button>
        </div>
      </div>
    </Dialog>
  );
}
