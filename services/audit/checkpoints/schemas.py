from __future__ import annotations

import base64
from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

from services.audit.checkpoints.repository import CheckpointRepository
from services.audit.checkpoints.service import CheckpointService

# Harbour Café's log signed at 5342 entries (the example order's close is the last); its
# public key is PUBLIC_KEY_EXAMPLE.
CHECKPOINT_EXAMPLE: JsonDict = {
    "size": 5342,
    "hash": "c0f5a6bbb18476ddcf20ee1ec8bb0e4c5fcbb9a92b8f71c5f0702424135d5342",
    "origin": "audit.halopos.example/c2f7a4e9-8d1b-4c6f-a3e8-5b9d2c7f1a46",
    "signed_at": "2026-12-07T09:00:00+11:00",
    "requested_by": "system",
    "note": (
        "audit.halopos.example/c2f7a4e9-8d1b-4c6f-a3e8-5b9d2c7f1a46\n5342\nwPWmu7GEdt3PIO"
        "4eyLsOTF/Luakrj3HF8HAkJBNdU0I=\n\n\u2014 audit.halopos.example/c2f7a4e9-8d1b-4c6"
        "f-a3e8-5b9d2c7f1a46 fqPioB9rL3Lzw4B+uLQHXJt582FoKYf8vvSaOG8RNnCl09zRu8tHBzLsTTjQ"
        "3qUvzdZLXc9+EXyOG3FVmU9vxBwVmQ0=\n"
    ),
}
PUBLIC_KEY_EXAMPLE: JsonDict = {
    "algorithm": "Ed25519",
    "origin": "audit.halopos.example/c2f7a4e9-8d1b-4c6f-a3e8-5b9d2c7f1a46",
    "key_name": "audit.halopos.example/c2f7a4e9-8d1b-4c6f-a3e8-5b9d2c7f1a46",
    "key_id": "7ea3e2a0",
    "public_key": "gWAIek8BU31bNoW8vmyVCbrkcsVbBwKQuIlwCcC8tDM=",
    "verifier_key": (
        "audit.halopos.example/c2f7a4e9-8d1b-4c6f-a3e8-5b9d2c7f1a46"
        "+7ea3e2a0+AYFgCHpPAVN9WzaFvL5slQm65HLFWwcCkLiJcAnAvLQz"
    ),
}


class CheckpointOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [CHECKPOINT_EXAMPLE]})

    size: int = Field(description="Entries in the log when it was signed")
    hash: str = Field(description="Hex hash of entry `size` (the chain head then)")
    origin: str
    signed_at: datetime
    requested_by: str = Field(description="Who asked: a staff subject, or `system` (periodic)")
    note: str = Field(description="The C2SP signed note (tlog-checkpoint shape)")

    @classmethod
    def of(cls, row: CheckpointRepository.Row) -> CheckpointOut:
        return cls(
            size=row.size,
            hash=row.hash.hex(),
            origin=row.origin,
            signed_at=row.signed_at,
            requested_by=row.requested_by,
            note=row.note,
        )


class CheckpointPage(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [CHECKPOINT_EXAMPLE], "next_cursor": None}]}
    )

    items: list[CheckpointOut]
    next_cursor: str | None


class PublicKeyOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [PUBLIC_KEY_EXAMPLE]})

    algorithm: str = "Ed25519"
    origin: str = Field(description="This tenant's log: the first line of its checkpoints")
    key_name: str
    key_id: str = Field(description="4 bytes, hex")
    public_key: str = Field(description="32 bytes, standard base64")
    verifier_key: str = Field(description="C2SP note verifier key: name+id+base64(0x01||key)")

    @classmethod
    def of(cls, service: CheckpointService, tenant_id: UUID) -> PublicKeyOut:
        origin = service.origin(tenant_id)
        return cls(
            origin=origin,
            key_name=origin,
            key_id=service.signer.key_id(origin).hex(),
            public_key=base64.b64encode(service.signer.public_key).decode("ascii"),
            verifier_key=service.verifier_key(tenant_id),
        )
