"""Manager overrides: a manager approves, with their PIN, an action above a till's limit, and
gets a short-lived signed override token for it (signer.py mints it; libs/auth/overrides.py
verifies it wherever the action is guarded).

signer.py was tokens.py, one of four `tokens` modules; it holds the override token's signer
and nothing else.
"""
