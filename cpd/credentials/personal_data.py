"""What the credentials domain holds on a person, for erasure: their credentials are revoked and
lose the salted hash of their address, so none is served again and none confirms the old address."""
import sqlalchemy as sa

from cpd.core.models import utcnow
from cpd.credentials.models import Credential
from cpd.extensions import db

ERASED = "the holder's record was erased"


def erase_personal_data(member_id):
    now = utcnow()
    # One by one, not one UPDATE: each revocation is a change the flush sees (a credential.revoked webhook).
    for credential in db.session.scalars(sa.select(Credential).where(Credential.member_id == member_id,
                                                                     Credential.revoked_at.is_(None))):
        credential.revoked_at, credential.revoked_reason = now, ERASED
    db.session.flush()
    db.session.execute(sa.update(Credential).where(Credential.member_id == member_id)
                       .values(subject_salt="", subject_hash="").execution_options(synchronize_session=False))
