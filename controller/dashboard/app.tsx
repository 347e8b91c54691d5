import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { Api } from './api';
import { Loading } from './components/ui';
import {
  I18nContext,
  LOCALES,
  saveLocale,
  savedLocale,
  translator,
  useI18n,
  type Locale,
} from './i18n';
import { LoginPage } from './pages/login';
import { MissingPage } from './pages/missing';
import { PAGES } from './pages';
import { planCode } from './plan-data';
import { focusPageTitle } from './focus';
import { href, NavigationGuard, NavigationGuardContext, useRoute } from './router';
import { SessionContext, useSession, type Me, type Session } from './session';

const PLAN_KEY = 'bangtin.plan';

/** The dashboard: language, session, then the page the hash names. */
export function App() {
  const [locale, setLocaleState] = useState<Locale>(savedLocale);
  const i18n = useMemo(
    () => ({
      locale,
      t: translator(locale),
      setLocale: (l: Locale) => {
        saveLocale(l);
        setLocaleState(l);
      },
    }),
    [locale],
  );
  useEffect(() => {
    document.documentElement.lang = locale;
    document.title = `${i18n.t('app.name')} — ${i18n.t('app.tagline')}`;
  }, [locale, i18n]);
  return (
    <I18nContext.Provider value={i18n}>
      <SessionRoot />
    </I18nContext.Provider>
  );
}

function SessionRoot() {
  const api = useMemo(() => new Api(), []);
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [planId, setPlanIdState] = useState<string | null>(() => localStorage.getItem(PLAN_KEY));
  const [generation, setGeneration] = useState(0);
  const [clockOffsetMs, setClockOffsetMs] = useState(0);

  const loadMe = useCallback(async () => {
    // Asked without a 401 when nobody is logged in, so the login page loads without an error.
    const result = await api.get<({ authenticated: true } & Me) | { authenticated: false }>(
      '/api/auth/session',
    );
    const me = result.ok && result.value.authenticated ? result.value : null;
    api.setCsrfToken(me?.csrfToken ?? null);
    setMe(me);
  }, [api]);

  useEffect(() => {
    api.onUnauthenticated = () => {
      setMe(null);
    };
    void loadMe();
    void api.get<{ time: string }>('/api/health').then((r) => {
      if (r.ok) setClockOffsetMs(Date.parse(r.value.time) - Date.now());
    });
  }, [api, loadMe]);

  const session = useMemo<Session | null>(() => {
    if (!me) return null;
    const allowed = new Set(me.allowed);
    return {
      api,
      me,
      can: (route) => allowed.has(route),
      planId,
      setPlanId: (id) => {
        localStorage.setItem(PLAN_KEY, id);
        setPlanIdState(id);
      },
      logout: () => {
        void api.request('POST', '/api/auth/logout').then(() => {
          api.setCsrfToken(null);
          setMe(null);
        });
      },
      changed: () => {
        setGeneration((n) => n + 1);
      },
      generation,
      now: () => Date.now() + clockOffsetMs,
    };
  }, [api, me, planId, generation, clockOffsetMs]);

  if (me === undefined) return <Loading />;
  if (!session) return <LoginPage api={api} onLoggedIn={() => void loadMe()} />;
  return (
    <SessionContext.Provider value={session}>
      <Shell />
    </SessionContext.Provider>
  );
}

function Shell() {
  const { t, locale, setLocale } = useI18n();
  const session = useSession();
  const guard = useMemo(() => new NavigationGuard(), []);
  const route = useRoute(guard);
  const visible = PAGES.filter((p) => session.can(p.needs));
  const current = visible.find((p) => p.page === route.page);
  const main = useRef<HTMLElement>(null);
  useEffect(() => {
    // After a page change, focus its title so screen readers announce where the user is.
    const root = main.current;
    return root ? focusPageTitle(document, root) : undefined;
  }, [route.page]);
  const Page = current?.component;
  return (
    <NavigationGuardContext.Provider value={guard}>
      <div class="shell">
        <a class="skip-link" href="#main">
          {t('app.skip')}
        </a>
        <header class="topbar">
          <a class="brand" href={href('plans')}>
            <span class="brand-name">{t('app.name')}</span>
            <span class="brand-tagline">{t('app.tagline')}</span>
          </a>
          <PlanPicker />
          <div class="topbar-user">
            <label class="sr-only" for="locale-select">
              {t('app.language')}
            </label>
            <select
              id="locale-select"
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
            <span class="user-name" data-testid="user">
              {session.me.user.username} · {t(`role.${session.me.user.role}`)}
            </span>
            <button type="button" onClick={session.logout}>
              {t('logout')}
            </button>
          </div>
        </header>
        <nav class="sidenav" aria-label={t('nav.main')}>
          <ul>
            {visible.map((p) => (
              <li key={p.page}>
                <a
                  href={href(p.page)}
                  aria-current={p.page === current?.page ? 'page' : undefined}
                  data-nav={p.page}
                >
                  {t(p.title)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <main id="main" class="content" tabIndex={-1} ref={main}>
          {Page ? <Page route={route} /> : <MissingPage page={route.page} />}
        </main>
      </div>
    </NavigationGuardContext.Provider>
  );
}

interface PlanSummary {
  plan: { id: string; title: string; code?: string };
}

/** The plan the content, playlist, schedule and board pages work on. */
function PlanPicker() {
  const { t } = useI18n();
  const session = useSession();
  const [plans, setPlans] = useState<PlanSummary[]>([]);
  useEffect(() => {
    void session.api.get<PlanSummary[]>('/api/plans').then((r) => {
      if (!r.ok) return;
      setPlans(r.value);
      const first = r.value[0];
      if (first && !r.value.some((p) => p.plan.id === session.planId)) {
        session.setPlanId(first.plan.id);
      }
    });
  }, [session.generation]);
  if (plans.length === 0) return <span class="plan-picker">{t('app.noPlan')}</span>;
  return (
    <div class="plan-picker">
      <label for="plan-select">{t('app.plan')}</label>
      <select
        id="plan-select"
        value={session.planId ?? ''}
        onChange={(e) => {
          session.setPlanId(e.currentTarget.value);
        }}
      >
        {plans.map((p) => (
          <option key={p.plan.id} value={p.plan.id}>
            {planCode(p.plan)} —{' '}
            {p.plan.title.length > 60 ? `${p.plan.title.slice(0, 60)}…` : p.plan.title}
          </option>
        ))}
      </select>
    </div>
  );
}
