"""Peak memory of one export, in a process of its own: python -m bench.export_memory URL KIND FRACTION.

Prints the peak resident set size in MB after streaming the whole export to nowhere.
"""
import os
import resource
import sys


def main():
    url, kind, fraction = sys.argv[1], sys.argv[2], float(sys.argv[3])
    from cpd.credentials.keys import new_private_key_pem

    os.environ.update(CPD_ENV="production", SECRET_KEY="bench-only-not-secret-but-long-enough-for-production",
                      CREDENTIAL_SIGNING_KEY=new_private_key_pem(), RATELIMIT_ENABLED="0",
                      STAFF_REQUIRE_2FA="0")
    from datetime import datetime, timezone

    import sqlalchemy as sa

    from cpd import create_app
    from cpd.core.spreadsheets import csv_stream
    from cpd.events.models import Event
    from cpd.exports import rows
    from cpd.extensions import db
    from cpd.members.models import Member

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        if kind == "attendance":
            first, last = db.session.execute(sa.select(sa.func.min(Event.starts_at), sa.func.max(Event.starts_at))).one()
            first, last = (datetime.fromisoformat(str(v)).replace(tzinfo=timezone.utc) if isinstance(v, str) else v
                           for v in (first, last))
            chunks = csv_stream(rows.ATTENDANCE_HEADER,
                                rows.attendance_rows(date_from=first, date_to=first + (last - first) * fraction))
        else:
            total = db.session.scalar(sa.select(sa.func.count()).select_from(Member))
            year = datetime.now(timezone.utc).year - 1
            chunks = csv_stream(rows.MEMBERS_HEADER, rows.member_rows(year, limit=max(1, int(total * fraction))))
        written = sum(len(chunk) for chunk in chunks)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{peak_mb:.1f} {written}")


if __name__ == "__main__":
    main()
