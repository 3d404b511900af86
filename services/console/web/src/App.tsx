import { useQueryClient } from '@tanstack/react-query';
import { Navigate, NavLink, Route, Routes, useLocation } from 'react-router';
import { isStaff, useAuth, type Session } from './auth';
import { useI18n, type Lang } from './i18n';
import { EventDetailPage } from './pages/EventDetail';
import { EventsPage } from './pages/Events';
import { OrganisationsPage } from './pages/Organisations';
import { ProfilePage } from './pages/Profile';
import { ReindexPage } from './pages/Reindex';
import { SignInPage } from './pages/SignIn';
import { SuggestionsPage } from './pages/Suggestions';
import { Page } from './ui';

function LanguageSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <div className="lang" role="group" aria-label={t('language')}>
      {(['it', 'en'] as Lang[]).map((l) => (
        <button key={l} type="button" aria-pressed={lang === l} onClick={() => setLang(l)} lang={l}>
          {l.toUpperCase()}
        </button>
      ))}
    </div>
  );
}

function Navigation({ session }: { session: Session }) {
  const { t } = useI18n();
  const links = isStaff(session)
    ? [
        { to: '/organisations', label: t('navOrganisations') },
        { to: '/events', label: t('navEvents') },
        { to: '/matching', label: t('navMatching') },
      ]
    : [
        { to: '/profile', label: t('navProfile') },
        { to: '/suggestions', label: t('navSuggestions') },
        { to: '/events', label: t('navEvents') },
      ];
  return (
    <nav aria-label="main">
      <ul>
        {links.map((l) => (
          <li key={l.to}>
            <NavLink to={l.to}>{l.label}</NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function Header() {
  const { session, signOut } = useAuth();
  const { t } = useI18n();
  const queryClient = useQueryClient();
  return (
    <header className="top">
      <a className="skip" href="#main">
        {t('skipToContent')}
      </a>
      <a className="brand" href="/">
        {t('appName')}
      </a>
      {session && <Navigation session={session} />}
      <div className="top-right">
        <LanguageSwitch />
        {session && (
          <>
            <span className="who">
              {t('signedInAs')} {t(`roles_${session.role}`)}
              {session.org ? ` · ${session.org}` : ''}
            </span>
            <button
              type="button"
              onClick={() => {
                queryClient.clear();
                signOut();
              }}
            >
              {t('signOut')}
            </button>
          </>
        )}
      </div>
    </header>
  );
}

function Home({ session }: { session: Session }) {
  return <Navigate to={isStaff(session) ? '/organisations' : '/profile'} replace />;
}

export function App() {
  const { session } = useAuth();
  const { t } = useI18n();
  const location = useLocation();
  return (
    <>
      <Header />
      <main id="main">
        {!session ? (
          <SignInPage returnTo={location.pathname === '/signin' ? '/' : location.pathname + location.search} />
        ) : (
          <Routes>
            <Route path="/" element={<Home session={session} />} />
            <Route path="/signin" element={<Home session={session} />} />
            <Route path="/profile" element={<ProfilePage organisationId={session.org} />} />
            <Route path="/organisations/:id" element={<ProfilePage />} />
            <Route path="/suggestions" element={<SuggestionsPage />} />
            <Route path="/organisations" element={<OrganisationsPage />} />
            <Route path="/events" element={<EventsPage />} />
            <Route path="/events/:id/*" element={<EventDetailPage />} />
            <Route path="/matching" element={<ReindexPage />} />
            <Route path="*" element={<Page title={t('notFound')}>{null}</Page>} />
          </Routes>
        )}
      </main>
    </>
  );
}
