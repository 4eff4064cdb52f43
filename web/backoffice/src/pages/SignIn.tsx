// Sign-in exactly as the API asks (docs/sessions.md, "Backoffice sign-in"): the business (from
// its sign-in link), e-mail and password; then the authenticator app's code (or a recovery
// code) when the staff member has one. Every step is signed with this browser's DPoP key, which
// the session's tokens are then bound to.
import { useState } from "preact/hooks";
import { signInWithCode, signInWithPassword } from "../api";
import { ProblemMessage } from "../components";

function businessFromLink(): string {
  return new URLSearchParams(window.location.search).get("business") ?? "";
}

export function SignIn() {
  const [business, setBusiness] = useState(businessFromLink);
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [challenge, setChallenge] = useState<string | null>(null);
  const [code, setCode] = useState("");
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submitPassword(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const answer = await signInWithPassword({ business, email, password, enrol_totp: false });
      setPassword(""); // not kept a moment longer than needed
      if (answer.status === "totp_required") setChallenge(answer.challenge);
      else if (answer.status === "totp_enrolment_required")
        setNotice(
          "Your account needs an authenticator app set up first. Setting one up from the " +
            "backoffice is not available yet: ask an owner of the business for help.",
        );
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  async function submitCode(event: Event) {
    event.preventDefault();
    if (challenge === null) return;
    setBusy(true);
    setError(null);
    try {
      await signInWithCode(challenge, code.trim());
    } catch (caught) {
      setError(caught);
      setCode("");
    } finally {
      setBusy(false);
    }
  }

  return (
    <main class="sign-in" id="main">
      <h1>Sign in to the halopos backoffice</h1>
      {challenge === null ? (
        <form onSubmit={submitPassword} aria-label="Sign in">
          {businessFromLink() ? null : (
            <label>
              Business id (from your sign-in link)
              <input
                name="business"
                value={business}
                onInput={(e) => setBusiness(e.currentTarget.value.trim())}
                required
                autocomplete="off"
                spellcheck={false}
              />
            </label>
          )}
          <label>
            E-mail
            <input
              name="email"
              type="email"
              value={email}
              onInput={(e) => setEmail(e.currentTarget.value)}
              required
              autocomplete="username"
            />
          </label>
          <label>
            Password
            <input
              name="password"
              type="password"
              value={password}
              onInput={(e) => setPassword(e.currentTarget.value)}
              required
              autocomplete="current-password"
            />
          </label>
          <button type="submit" disabled={busy}>
            Continue
          </button>
        </form>
      ) : (
        <form onSubmit={submitCode} aria-label="Authenticator code">
          <p>Enter the 6-digit code your authenticator app shows, or one of your recovery codes.</p>
          <label>
            Code
            <input
              name="code"
              value={code}
              onInput={(e) => setCode(e.currentTarget.value)}
              required
              inputMode="numeric"
              autocomplete="one-time-code"
              spellcheck={false}
            />
          </label>
          <button type="submit" disabled={busy}>
            Sign in
          </button>
        </form>
      )}
      {notice ? (
        <p role="status" class="notice">
          {notice}
        </p>
      ) : null}
      {error !== null ? <ProblemMessage error={error} /> : null}
    </main>
  );
}
