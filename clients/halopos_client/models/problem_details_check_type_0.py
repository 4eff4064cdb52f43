from enum import StrEnum


class ProblemDetailsCheckType0(StrEnum):
    ALG = "alg"
    ATH_MISMATCH = "ath-mismatch"
    HTM_MISMATCH = "htm-mismatch"
    HTU_MISMATCH = "htu-mismatch"
    IAT_OUT_OF_WINDOW = "iat-out-of-window"
    JTI = "jti"
    JWK = "jwk"
    KEY_MISMATCH = "key-mismatch"
    MALFORMED = "malformed"
    MISSING = "missing"
    REPLAYED = "replayed"
    SIGNATURE = "signature"
    TOO_LARGE = "too-large"
    TYP = "typ"

    def __str__(self) -> str:
        return str(self.value)
