"""Bridge tokens: an owner creates, lists, rotates and revokes the token a venue's print
Bridge authenticates with (`/v1/admin/security/bridge-tokens`).

Named `bridge_tokens`, not `tokens`: the platform has access tokens, override tokens and
refresh tokens too, and libs/bridge/ verifies these same tokens; the package name says which
kind this is and that this side issues them.
"""
