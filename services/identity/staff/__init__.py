"""Staff members: who works for the business, in which role, at which venues, and the
hashing of their passwords and PINs (secret_hashing.py: argon2id off the event loop).

secret_hashing.py was credentials.py, a name libs/auth/opaque_credentials.py already uses for
something else (the opaque `hp<kind>_<tenant>_<secret>` credentials); this module only
hashes and verifies staff secrets.
"""
