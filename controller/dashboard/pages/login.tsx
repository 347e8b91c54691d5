import { useEffect, useRef, useState } from 'preact/hooks';
import type { Api } from '../api';
import { Field } from '../components/ui';
import { LOCALES, useI18n, type Locale } from '../i18n';

export function LoginPage(props: { api: Api; onLoggedIn: () => void }) {
  const { t, locale, setLocale } = useI18n();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const usernameInput = useRef<HTMLInputElement>(null);
  useEffect(() => {
    // The page is a form to fill: start in its first field (also after a logout).
    usernameInput.current?.focus();
  }, []);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const result = await props.api.request('POST', '/api/auth/login', { username, password });
    setBusy(false);
    if (result.ok) props.onLoggedIn();
    else setError(result.status === 429 ? t('login.limited') : t('login.failed'));
  };

  return (
    <main class="login" id="main">
      <form class="login-card" onSubmit={(e) => void submit(e)} aria-describedby="login-error">
        <p class="brand">
          <span class="brand-name">{t('app.name')}</span>
          <span class="brand-tagline">{t('app.tagline')}</span>
        </p>
        <h1>{t('login.title')}</h1>
        <Field label={t('login.username')}>
          {(a) => (
            <input
              {...a}
              ref={usernameInput}
              name="username"
              autocomplete="username"
              required
              value={username}
              onInput={(e) => {
                setUsername(e.currentTarget.value);
              }}
            />
          )}
        </Field>
        <Field label={t('login.password')}>
          {(a) => (
            <input
              {...a}
              name="password"
              type="password"
              autocomplete="current-password"
              required
              value={password}
              onInput={(e) => {
                setPassword(e.currentTarget.value);
              }}
            />
          )}
        </Field>
        <p id="login-error" class="form-error" role="alert">
          {error ?? ''}
        </p>
        <button type="submit" class="primary" disabled={busy}>
          {t('login.submit')}
        </button>
        <div class="field">
          <label for="login-locale">{t('app.language')}</label>
          <select
            id="login-locale"
            value={locale}
            onChange={(e) => {
              setLocale(e.currentTarget.value as Locale);
            }}
          >
            {LOCALES.map((l) => (
              <option key={l} value={l}>
                {t(`app.language.${l}`)}
              </option>
            ))}
          </select>
        </div>
      </form>
    </main>
  );
}
