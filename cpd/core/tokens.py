"""The one digest every secret we hand out is kept as (API tokens, links sent by email, recovery codes,
referees' links): SHA-256 in hex, so a copy of the database opens nothing."""
import hashlib


def digest(raw):
    return hashlib.sha256(str(raw).encode("utf-8")).hexdigest()
