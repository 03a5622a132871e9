from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from cpd.core.models import UTCDateTime, utcnow
from cpd.extensions import db


class ExportJob(db.Model):
    """A large export the background worker builds into a file, for the staff member who asked."""

    __tablename__ = "export_jobs"

    id: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(16), nullable=False)       # attendance | members
    extension: Mapped[str] = mapped_column(sa.String(8), nullable=False)   # csv | xlsx
    parameters: Mapped[dict] = mapped_column(sa.JSON, nullable=False, default=dict)
    requested_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("members.id", ondelete="SET NULL"),
                                                        index=True)
    status: Mapped[str] = mapped_column(sa.String(12), nullable=False, default="queued")  # queued|running|ready|failed
    rows: Mapped[int | None] = mapped_column(sa.Integer)
    stored_name: Mapped[str | None] = mapped_column(sa.String(80))
    error: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
