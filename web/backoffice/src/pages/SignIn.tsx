// Sign-in exactly as the API asks (docs/sessions.md, "Backoffice sign-in"): the business (from
// its sign-in link), e-mail and password; then the authenticator app's code (or a recovery
// code) when the staff member has one, or setting one up when they must (or choose to). Every
// step is signed with this browser's DPoP key, which the session's tokens are then bound to.
//
// Setting up an authenticator: the page shows the secret as a QR code (and as text, for typing
// into the app by hand), asks for the app's first code, and then shows the recovery codes once;
// the session is taken up only when the person says they have saved them.
import { useEffect, useRef, useState } from "preact/hooks";
import type { Enrolment, Session } from "../api";
import { ApiProblem, confirmEnrolment, signInWithCode, signInWithPassword, startEnrolment } from "../api";
import { ProblemMessage } from "../components";
import { QrCode } from "../qr";

function businessFromLink(): string {
  return new URLSearchParams(window.location.search).get("business") ?? "";
}

type Step =
  | { kind: "password" }
  | { kind: "code"; challenge: string }
  | { kind: "enrol"; challenge: string; enrolment: Enrolment | null }
  | { kind: "recovery"; codes: string[]; signIn: () => Session };

/** The secret in groups of four, as authenticator apps show and ask for it. */
function grouped(secret: string): string {
  return secret.replace(/(.{4})/g, "$1 ").trim();
}

export function SignIn() {
  const [business, setBusiness] = useState(businessFromLink);
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [enrolmentCode, setEnrolmentCode] = useState("");
  const [askEnrolmentCode, setAskEnrolmentCode] = useState(false);
  const [enrolTotp, setEnrolTotp] = useState(false);
  const [step, setStep] = useState<Step>({ kind: "password" });
  const [code, setCode] = useState("");
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const enrolmentField = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (askEnrolmentCode) enrolmentField.current?.focus();
  }, [askEnrolmentCode]);

  async function begin(challenge: string) {
    setStep({ kind: "enrol", challenge, enrolment: null });
    try {
      setStep({ kind: "enrol", challenge, enrolment: await startEnrolment(challenge) });
    } catch (caught) {
      setError(caught);
      setStep({ kind: "password" });
    }
  }

  async function submitPassword(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const typed = enrolmentCode.trim().toUpperCase();
      const answer = await signInWithPassword({
        business,
        email,
        password,
        enrol_totp: enrolTotp,
        ...(typed ? { enrolment_code: typed } : {}),
      });
      setPassword(""); // not kept a moment longer than needed
      setEnrolmentCode("");
      if (answer.status === "totp_required") setStep({ kind: "code", challenge: answer.challenge });
      else if (answer.status === "totp_enrolment_required") await begin(answer.challenge);
    } catch (caught) {
      // An owner who must have an authenticator and has none: the problem says how to get an
      // enrolment code; the field for it opens, and the password is kept for the retry.
      if (caught instanceof ApiProblem && caught.code === "totp-enrolment-code-required") {
        setAskEnrolmentCode(true);
      }
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  async function submitCode(event: Event) {
    event.preventDefault();
    if (step.kind !== "code") return;
    setBusy(true);
    setError(null);
    try {
      await signInWithCode(step.challenge, code.trim());
    } catch (caught) {
      setError(caught);
      setCode("");
    } finally {
      setBusy(false);
    }
  }

  async function submitFirstCode(event: Event) {
    event.preventDefault();
    if (step.kind !== "enrol") return;
    setBusy(true);
    setError(null);
    try {
      const confirmed = await confirmEnrolment(step.challenge, code.replace(/\s/g, ""));
      setCode("");
      setStep({ kind: "recovery", codes: confirmed.recoveryCodes, signIn: confirmed.signIn });
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
      {step.kind === "password" ? (
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
          {askEnrolmentCode ? (
            <label>
              Enrolment code (from an owner of the business)
              <input
                ref={enrolmentField}
                name="enrolment_code"
                value={enrolmentCode}
                onInput={(e) => setEnrolmentCode(e.currentTarget.value)}
                autocomplete="off"
                spellcheck={false}
                placeholder="XXXXX-XXXXX-XXXXX-XXXXX"
              />
            </label>
          ) : null}
          <label class="check">
            <input
              type="checkbox"
              name="enrol_totp"
              checked={enrolTotp}
              onChange={(e) => setEnrolTotp(e.currentTarget.checked)}
            />
            Set up an authenticator app during this sign-in
          </label>
          <button type="submit" disabled={busy}>
            Continue
          </button>
          {askEnrolmentCode ? null : (
            <p>
              <button type="button" class="link" onClick={() => setAskEnrolmentCode(true)}>
                I have an enrolment code
              </button>
            </p>
          )}
        </form>
      ) : null}
      {step.kind === "code" ? (
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
      ) : null}
      {step.kind === "enrol" ? (
        <section aria-label="Set up your authenticator app" class="enrolment">
          <h2>Set up your authenticator app</h2>
          {step.enrolment === null ? (
            <p role="status">Preparing your authenticator secret…</p>
          ) : (
            <>
              <p>
                Scan this code with an authenticator app (Google Authenticator, Microsoft
                Authenticator, 1Password, …), then type the 6 digits it shows.
              </p>
              <QrCode text={step.enrolment.otpauth_uri} label="QR code for your authenticator app" />
              <p>
                Cannot scan it? Type this key into the app instead:{" "}
                <code class="secret" data-secret={step.enrolment.secret}>
                  {grouped(step.enrolment.secret)}
                </code>
              </p>
              <form onSubmit={submitFirstCode} aria-label="First authenticator code">
                <label>
                  Code from the app
                  <input
                    name="first_code"
                    value={code}
                    onInput={(e) => setCode(e.currentTarget.value)}
                    required
                    inputMode="numeric"
                    autocomplete="one-time-code"
                    spellcheck={false}
                  />
                </label>
                <button type="submit" disabled={busy}>
                  Confirm
                </button>
              </form>
            </>
          )}
        </section>
      ) : null}
      {step.kind === "recovery" ? (
        <section aria-label="Your recovery codes" class="recovery">
          <h2>Your recovery codes</h2>
          <p class="notice" role="note">
            <strong>Save these now; they will not be shown again.</strong> Each one signs you in
            once in place of a code from the app, if you lose your phone. Print them or keep them
            in a password manager.
          </p>
          <ul class="recovery-codes">
            {step.codes.map((each) => (
              <li key={each}>
                <code>{each}</code>
              </li>
            ))}
          </ul>
          <label class="check">
            <input
              type="checkbox"
              name="saved"
              checked={saved}
              onChange={(e) => setSaved(e.currentTarget.checked)}
            />
            I have saved my recovery codes
          </label>
          <button type="button" disabled={!saved} onClick={() => step.signIn()}>
            Continue to the backoffice
          </button>
        </section>
      ) : null}
      {error !== null ? <ProblemMessage error={error} /> : null}
    </main>
  );
}
