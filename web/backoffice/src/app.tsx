// The backoffice's frame: sign-in until there is a session, then a menu of the pages the
// session's role may use (pages.tsx) and the page the address names (`#/reports`).
import { useEffect, useState } from "preact/hooks";
import type { Session } from "./api";
import { onSessionChange, signOut } from "./api";
import { PAGES, visiblePages } from "./pages";
import { currentPath } from "./route";
import { SignIn } from "./pages/SignIn";
import { SubscriptionBanner } from "./subscription";

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
        <SubscriptionBanner session={session} />
        {hidden ? (
          // Not in this role's menu; shown anyway, so the API's own refusal is what it meets.
          <p class="notice" role="note">
            This page is not in your menu: your role ({session.role}) may not use it.
          </p>
        ) : null}
        <page.component session={session} />
      </main>
    </>
  );
}
