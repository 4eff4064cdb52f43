"""The business's live sessions, for an owner's review (`/admin/security` in the backoffice):
who is signed in, from what, since when, and a way to end a session that should not be there.

A session is live while it is neither revoked nor expired. Revoking one refuses its refresh
token at once; an access token it already holds stays valid until it expires (at most 10
minutes: tokens are verified without a lookup per request, docs/sessions.md).

Its own package rather than more of sessions/: sessions/ is how a session starts, refreshes
and ends by its own rules (public routes, proven by credentials); this is an owner's view of
those sessions across the business, behind `security:manage`. The one write they share,
ending a session, lives once in sessions/repository.py.
"""
