import { useQuery, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect } from 'react';
import { Navigate, NavLink, Outlet, Route, Routes, useLocation, useNavigate } from 'react-router';
import { api, session, UNAUTHENTICATED } from './api.js';
import { Login, Signup } from './auth/auth.js';
import type { MessageKey } from './i18n/en.js';
import { type Locale, useLocale, useT } from './i18n/index.js';
import type { Me } from './types.js';

// Each side's pages load when first opened: the first load carries the shell and the login only.
const Overview = lazy(() => import('./brand/overview.js').then((m) => ({ default: m.Overview })));
const Programs = lazy(() => import('./brand/programs.js').then((m) => ({ default: m.Programs })));
const ProgramNew = lazy(() => import('./brand/programs.js').then((m) => ({ default: m.ProgramNew })));
const ProgramEdit = lazy(() => import('./brand/programs.js').then((m) => ({ default: m.ProgramEdit })));
const Creators = lazy(() => import('./brand/creators.js').then((m) => ({ default: m.Creators })));
const Sales = lazy(() => import('./brand/sales.js').then((m) => ({ default: m.Sales })));
const Review = lazy(() => import('./brand/sales.js').then((m) => ({ default: m.Review })));
const Settings = lazy(() => import('./brand/settings.js').then((m) => ({ default: m.Settings })));
const MyPrograms = lazy(() => import('./creator/programs.js').then((m) => ({ default: m.MyPrograms })));
const MyLinks = lazy(() => import('./creator/links.js').then((m) => ({ default: m.MyLinks })));
const Earnings = lazy(() => import('./creator/earnings.js').then((m) => ({ default: m.Earnings })));
const Payouts = lazy(() => import('./brand/payouts.js').then((m) => ({ default: m.Payouts })));
const PayoutRun = lazy(() => import('./brand/payout-run.js').then((m) => ({ default: m.PayoutRun })));
const Integrations = lazy(() => import('./brand/integrations.js').then((m) => ({ default: m.Integrations })));
const Operator = lazy(() => import('./operator/operator.js').then((m) => ({ default: m.Operator })));
const Invoices = lazy(() => import('./brand/invoices.js').then((m) => ({ default: m.Invoices })));
const Statements = lazy(() => import('./brand/statements.js').then((m) => ({ default: m.Statements })));
const CreatorPayouts = lazy(() => import('./creator/payouts.js').then((m) => ({ default: m.CreatorPayouts })));
const Results = lazy(() => import('./creator/results.js').then((m) => ({ default: m.Results })));
const VerifyEmail = lazy(() => import('./auth/recovery.js').then((m) => ({ default: m.VerifyEmail })));
const ResetPassword = lazy(() => import('./auth/recovery.js').then((m) => ({ default: m.ResetPassword })));
const BioEditor = lazy(() => import('./creator/bio.js').then((m) => ({ default: m.BioEditor })));

export function useMe() {
  return useQuery({ queryKey: ['me'], queryFn: () => api<Me>('GET', '/me'), enabled: session.token() !== null });
}

/** Sends the visitor to the login page when the session ends, remembering where they were. */
function useSessionGuard() {
  const navigate = useNavigate();
  const location = useLocation();
  const client = useQueryClient();
  useEffect(() => {
    const onEnd = () => {
      client.clear();
      navigate(`/login?expired=1&next=${encodeURIComponent(location.pathname)}`);
    };
    window.addEventListener(UNAUTHENTICATED, onEnd);
    return () => window.removeEventListener(UNAUTHENTICATED, onEnd);
  }, [navigate, location.pathname, client]);
}

export function LanguageSwitch() {
  const { locale, setLocale } = useLocale();
  const { t } = useT();
  return (
    <label className="lang">
      <span className="sr-only">{t('app.language')}</span>
      <select value={locale} onChange={(e) => setLocale(e.target.value as Locale)}>
        <option value="en">English</option>
        <option value="fi">Suomi</option>
      </select>
    </label>
  );
}

const brandNav: [string, MessageKey][] = [
  ['/overview', 'nav.overview'],
  ['/programs', 'nav.programs'],
  ['/creators', 'nav.creators'],
  ['/sales', 'nav.sales'],
  ['/review', 'nav.review'],
  ['/payouts', 'nav.payouts'],
  ['/invoices', 'nav.invoices'],
  ['/integrations', 'nav.integrations'],
  ['/settings', 'nav.settings'],
];
const creatorNav: [string, MessageKey][] = [
  ['/me/programs', 'nav.myPrograms'],
  ['/me/links', 'nav.links'],
  ['/me/results', 'nav.results'],
  ['/me/earnings', 'nav.earnings'],
  ['/me/payouts', 'nav.myPayouts'],
  ['/me/bio', 'nav.bio'],
];

function Shell() {
  const me = useMe();
  const { t } = useT();
  const navigate = useNavigate();
  const client = useQueryClient();
  if (!session.token()) return <Navigate to="/login" replace />;
  if (me.isPending) return <p className="state">{t('app.loading')}</p>;
  if (me.isError) return <Navigate to="/login" replace />;
  const isBrand = me.data.workspace !== null;
  const nav: [string, MessageKey][] = [
    ...(isBrand ? brandNav : creatorNav),
    ...(me.data.user?.isOperator ? [['/operator', 'nav.operator'] as [string, MessageKey]] : []),
  ];
  const logout = async () => {
    await api('POST', '/auth/logout').catch(() => undefined);
    session.clear();
    client.clear();
    navigate('/login');
  };
  return (
    <div className={`shell ${isBrand ? 'shell-brand' : 'shell-creator'}`}>
      <a className="skip" href="#main">
        {t('app.skip')}
      </a>
      <header className="topbar">
        <span className="logo" aria-hidden="true">
          K
        </span>
        <span className="org">{me.data.workspace?.name ?? me.data.user?.name ?? me.data.creator?.name}</span>
        <LanguageSwitch />
        <button type="button" className="btn btn-ghost" onClick={() => void logout()}>
          {t('app.logout')}
        </button>
      </header>
      <nav className="nav" aria-label={t('app.menu')}>
        {nav.map(([to, key]) => (
          <NavLink key={to} to={to}>
            {t(key)}
          </NavLink>
        ))}
      </nav>
      <main id="main" className="main">
        <Suspense fallback={<p className="state">{t('app.loading')}</p>}>
          <Outlet context={me.data} />
        </Suspense>
      </main>
    </div>
  );
}

function Home() {
  const me = useMe();
  if (!session.token()) return <Navigate to="/login" replace />;
  if (me.isPending) return null;
  if (me.isError) return <Navigate to="/login" replace />;
  return <Navigate to={me.data.workspace ? '/overview' : '/me/programs'} replace />;
}

export function App() {
  useSessionGuard();
  return (
    <Routes>
      <Route path="/login" element={<Login />} />
      <Route path="/signup" element={<Signup />} />
      {/* The pages the account emails link to. */}
      <Route
        path="/verify-email"
        element={
          <Suspense fallback={null}>
            <VerifyEmail />
          </Suspense>
        }
      />
      <Route
        path="/reset-password"
        element={
          <Suspense fallback={null}>
            <ResetPassword />
          </Suspense>
        }
      />
      <Route element={<Shell />}>
        <Route path="/overview" element={<Overview />} />
        <Route path="/programs" element={<Programs />} />
        <Route path="/programs/new" element={<ProgramNew />} />
        <Route path="/programs/:id" element={<ProgramEdit />} />
        <Route path="/creators" element={<Creators />} />
        <Route path="/sales" element={<Sales />} />
        <Route path="/review" element={<Review />} />
        <Route path="/payouts" element={<Payouts />} />
        <Route path="/payouts/runs/:id" element={<PayoutRun />} />
        <Route path="/statements" element={<Statements />} />
        <Route path="/invoices" element={<Invoices />} />
        <Route path="/integrations" element={<Integrations />} />
        <Route path="/operator" element={<Operator />} />
        <Route path="/settings" element={<Settings />} />
        <Route path="/me/programs" element={<MyPrograms />} />
        <Route path="/me/links" element={<MyLinks />} />
        <Route path="/me/results" element={<Results />} />
        <Route path="/me/earnings" element={<Earnings />} />
        <Route path="/me/payouts" element={<CreatorPayouts />} />
        <Route path="/me/bio" element={<BioEditor />} />
      </Route>
      <Route path="*" element={<Home />} />
    </Routes>
  );
}
