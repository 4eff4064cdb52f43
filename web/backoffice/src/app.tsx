// The backoffice's frame: sign-in until there is a session, then a menu of the pages the
// session's role may use (pages.ts) and the page the address names (`#/reports`).
import { useEffect, useState } from "preact/hooks";
import type { Session } from "./api";
import { onSessionChange, signOut } from "./api";
import { PAGES, visiblePages } from "./pages";
import { Dashboard } from "./pages/Dashboard";
import { Reports } from "./pages/Reports";
import { SignIn } from "./pages/SignIn";

/** The page the address names, and what its link says: `#/reports?location=...&period=...`. */
function currentPath(): string {
  return window.location.hash.replace(/^#/, "").split("?", 1)[0] || "/";
}


function Overview({ session }: { session: Session }) {
  const pages = visiblePages(session).filter((page) => page.path !== "/");
  return (
    <>
      <h1>Overview</h1>
      <p>
        You are signed in as <strong data-role={session.role}>{session.role}</strong>
        {session.locationIds === null
          ? ", for every venue of the business."
          : `, for ${session.locationIds.length} venue(s).`}
      </p>
      {pages.length > 0 ? (
        <ul>
          {pages.map((page) => (
            <li key={page.path}>
              <a href={`#${page.path}`}>{page.title}</a>
            </li>
          ))}
        </ul>
      ) : (
        <p>More pages for your role are coming to the backoffice.</p>
      )}
    </>
  );
}

export function App() {
  const [session, setSession] = useState<Session | null>(null);
  const [path, setPath] = useState(currentPath);
  useEffect(() => onSessionChange(setSession), []);
  useEffect(() => {
    const follow = () => setPath(currentPath());
    window.addEventListener("hashchange", follow);
    return () => window.removeEventListener("hashchange", follow);
  }, []);

  if (session === null) return <SignIn />;

  const menu = visiblePages(session);
  const page = PAGES.find((each) => each.path === path) ?? PAGES[0]!;
  const hidden = !menu.includes(page);
  return (
    <>
      <a class="skip" href="#main" onClick={(event) => {
        event.preventDefault();
        document.getElementById("main")?.focus();
      }}>
        Skip to the page
      </a>
      <header>
        <span class="brand">halopos backoffice</span>
        <nav aria-label="Pages">
          <ul>
            {menu.map((each) => (
              <li key={each.path}>
                <a href={`#${each.path}`} aria-current={each === page ? "page" : undefined}>
                  {each.title}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <button type="button" class="sign-out" onClick={() => void signOut()}>
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {hidden ? (
          // Not in this role's menu; shown anyway, so the API's own refusal is what it meets.
          <p class="notice" role="note">
            This page is not in your menu: your role ({session.role}) may not use it.
          </p>
        ) : null}
        {page.path === "/dashboard" ? (
          <Dashboard session={session} />
        ) : page.path === "/reports" ? (
          <Reports session={session} />
        ) : (
          <Overview session={session} />
        )}
      </main>
    </>
  );
}
