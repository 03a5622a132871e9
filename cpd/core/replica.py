"""Reads routed to a replica (DATABASE_REPLICA_URL): figures and exports only, inside
`reading_from_replica()`. Everything else, and anything that writes or flushes, stays on the primary."""
from contextlib import contextmanager

from flask_sqlalchemy.session import Session

REPLICA = "replica"


class RoutingSession(Session):
    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        if self.info.get("read_replica") and not self._flushing and bind is None:
            engine = self._db.engines.get(REPLICA)
            if engine is not None:
                return engine
        return super().get_bind(mapper=mapper, clause=clause, bind=bind, **kwargs)


@contextmanager
def reading_from_replica(session):
    """Within the block, `session`'s reads go to the replica (when one is configured)."""
    before = session.info.get("read_replica", False)
    session.info["read_replica"] = True
    try:
        yield
    finally:
        session.info["read_replica"] = before
