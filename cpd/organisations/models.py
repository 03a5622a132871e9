from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cpd.core.models import UTCDateTime, utcnow
from cpd.extensions import db


class Organisation(db.Model):
    """An employer, university or other organisation the body works with. `billing`: the name,
    address, VAT number and email its invoices go to."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    kind: Mapped[str] = mapped_column(sa.String(16), nullable=False)  # employer | university | other
    billing: Mapped[dict] = mapped_column(sa.JSON, nullable=False, default=dict)
    # The invitation link its people join by (a digest; the admin makes a new one to close the old).
    invitation_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("members.id", ondelete="SET NULL"))
    created_on: Mapped[date] = mapped_column(sa.Date, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)

    people: Mapped[list["Affiliation"]] = relationship(back_populates="organisation", cascade="all, delete-orphan")


class Affiliation(db.Model):
    """A person of an organisation, dated (the figures of a past year read who belonged then); an
    admin books and pays for its people and sees the standing of those who share it."""

    __tablename__ = "affiliations"
    __table_args__ = (sa.Index("ix_affiliations_member", "member_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id", ondelete="CASCADE"),
                                                 nullable=False, index=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id", ondelete="CASCADE"), nullable=False)
    is_admin: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    since: Mapped[date] = mapped_column(sa.Date, nullable=False)
    until: Mapped[date | None] = mapped_column(sa.Date)

    organisation: Mapped[Organisation] = relationship(back_populates="people")
    member = relationship("Member")


class Sharing(db.Model):
    """A period in which a member shared their CPD standing with an organisation (consent given at
    `since`, withdrawn at `until`): the admin sees it only while a period is open."""

    __tablename__ = "standing_sharing"
    __table_args__ = (sa.Index("ix_standing_sharing_open", "organisation_id", "member_id", "until"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id", ondelete="CASCADE"),
                                                 nullable=False)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id", ondelete="CASCADE"), nullable=False,
                                           index=True)
    since: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    until: Mapped[datetime | None] = mapped_column(UTCDateTime())


class SchemeApproval(db.Model):
    """Staff approved an organisation's professional-development scheme for a CPD policy over
    [valid_from, valid_until]: a sharing member of it meets that policy through the scheme, on the
    days the approval covers (IET accredited schemes run three years; ACCA's approved employers)."""

    __tablename__ = "scheme_approvals"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id", ondelete="CASCADE"),
                                                 nullable=False, index=True)
    policy: Mapped[str] = mapped_column(sa.ForeignKey("cpd_policies.code"), nullable=False)
    valid_from: Mapped[date] = mapped_column(sa.Date, nullable=False)
    valid_until: Mapped[date] = mapped_column(sa.Date, nullable=False)
    document_name: Mapped[str] = mapped_column(sa.String(200), nullable=False, default="")
    approved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("members.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)

    organisation: Mapped[Organisation] = relationship()


class SponsoredOrder(db.Model):
    """An order an organisation's admin placed for its people (the figures count those sponsored)."""

    __tablename__ = "sponsored_orders"

    order_id: Mapped[int] = mapped_column(sa.ForeignKey("orders.id", ondelete="CASCADE"), primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id", ondelete="CASCADE"),
                                                 nullable=False, index=True)
    placed_on: Mapped[date] = mapped_column(sa.Date, nullable=False)


class SelfAssessment(db.Model):
    """An approved scheme's annual self-assessment: a PDF the organisation's admin files for a year,
    which a member of staff (never the one who filed it) accepts or returns with a comment."""

    __tablename__ = "scheme_self_assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    approval_id: Mapped[int] = mapped_column(sa.ForeignKey("scheme_approvals.id", ondelete="CASCADE"),
                                             nullable=False, index=True)
    year: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    filename: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    stored_name: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    submitted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("members.id", ondelete="SET NULL"))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    status: Mapped[str] = mapped_column(sa.String(16), nullable=False, default="submitted")  # |accepted|returned
    reviewed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("members.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    comment: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")

    approval: Mapped[SchemeApproval] = relationship()


class PersonInvitation(db.Model):
    """An admin added a member to the organisation; they belong once they confirm it."""

    __tablename__ = "organisation_invitations"

    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id", ondelete="CASCADE"),
                                                 primary_key=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id", ondelete="CASCADE"), primary_key=True)
    invited_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("members.id", ondelete="SET NULL"))
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
