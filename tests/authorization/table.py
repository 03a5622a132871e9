"""Who may use every route, the table: each rule of the app's own URL map, with each method, for each
kind of caller, and the world the table is checked in. A route missing from the table fails
test_writes.test_every_route_is_in_the_table, so no new route goes unchecked.

Roles: anonymous; `member`, who owns the world's records, plan, booking and feed; `other`, another
member; `lead` of SIG A; `other_lead` of SIG B; staff. Page forms are posted without their CSRF
token and must be refused whoever posts them (the token itself is tested in every page test).
"""
import io
from datetime import date, timedelta

from cpd.core.models import utcnow
from tests.conftest import (booking_factory, event_factory, headers_factory, member_factory, record_factory,
                            sig_factory, staff_factory)
from tests.records.test_api import PNG

ROLES = ("anonymous", "member", "other", "lead", "other_lead", "staff")
YEAR = utcnow().year


def row(*statuses):
    return dict(zip(ROLES, statuses))


EVERYONE_200 = row(200, 200, 200, 200, 200, 200)
API_SIGNED_IN = row(401, 200, 200, 200, 200, 200)
API_STAFF = row(401, 403, 403, 403, 403, 200)
API_OWNER = row(401, 200, 404, 404, 404, 404)
PAGE_SIGNED_IN = row(302, 200, 200, 200, 200, 200)
PAGE_STAFF = row(302, 403, 403, 403, 403, 200)
PAGE_OWNER = row(302, 200, 404, 404, 404, 404)
FORM_WITHOUT_TOKEN = row(400, 400, 400, 400, 400, 400)
SIGNED_IN_GO_HOME = row(200, 302, 302, 302, 302, 302)

ACTIVITY = {"title": "Reading", "activity_type": "self_directed", "started_on": "2025-03-01", "hours": 1}
EVENT = {"kind": "course", "title": "New course", "starts_at": "2031-01-01T10:00:00", "ends_at": "2031-01-01T12:00:00"}

# (method, rule): (expected by role, JSON body or None)
API = {
    ("PUT", "/api/v1/events/<int:event_id>/prices"): (row(401, 403, 403, 403, 403, 200), []),
    ("POST", "/api/v1/events/<int:event_id>/discount-codes"): (row(401, 403, 403, 403, 403, 201),
                                                              {"code": "TEN", "percent_off": "10"}),
    ("GET", "/api/v1/orders"): (API_STAFF, None),
    ("GET", "/api/v1/exports/orders.csv"): (API_STAFF, None),
    # The world's booking is the member's confirmed seat at a free event: no offer to pay for.
    ("POST", "/api/v1/bookings/<int:booking_id>/checkout"): (row(401, 409, 404, 404, 404, 404), {}),
    ("GET", "/api/v1/orders/<int:order_id>"): (row(401, 404, 404, 404, 404, 404), None),
    ("GET", "/api/v1/me/orders"): (API_SIGNED_IN, None),
    ("GET", "/api/v1/orders/<int:order_id>/invoice.pdf"): (row(401, 404, 404, 404, 404, 404), None),
    ("GET", "/api/v1/orders/<int:order_id>/credit-notes/<number>.pdf"): (row(401, 404, 404, 404, 404, 404), None),
    ("POST", "/api/v1/orders/<int:order_id>/payments"): (row(401, 403, 403, 403, 403, 404), {"amount": "1.00"}),
    ("POST", "/api/v1/orders/<int:order_id>/refunds"): (row(401, 403, 403, 403, 403, 404),
                                                        {"amount": "1.00", "reason": "Goodwill"}),
    # Stripe's signed events: open to anyone, refused without a good signature.
    ("POST", "/api/v1/payments/stripe/webhook"): (row(400, 400, 400, 400, 400, 400), None),
    ("GET", "/api/v1/audit-log"): (API_STAFF, None),
    ("POST", "/api/v1/auth/token"): (EVERYONE_200, {"email": "owner@example.org", "password": "correct horse battery"}),
    ("POST", "/api/v1/auth/register"): (row(201, 201, 201, 201, 201, 201),
                                        {"email": "new@example.org", "password": "long enough to pass", "full_name": "New"}),
    ("DELETE", "/api/v1/auth/token"): (row(401, 204, 204, 204, 204, 204), None),
    ("GET", "/api/v1/courses"): (EVERYONE_200, None),
    ("POST", "/api/v1/courses"): (row(401, 403, 403, 403, 403, 201), {"title": "NDT"}),
    ("GET", "/api/v1/courses/<int:course_id>"): (EVERYONE_200, None),
    ("GET", "/api/v1/me/cpd-records/<int:record_id>/evidence/<int:evidence_id>"): (row(401, 200, 404, 404, 404, 200), None),
    ("DELETE", "/api/v1/me/cpd-records/<int:record_id>/evidence/<int:evidence_id>"): (row(401, 204, 404, 404, 404, 404), None),
    ("GET", "/api/v1/me/objectives/<int:objective_id>"): (API_OWNER, None),
    ("PATCH", "/api/v1/me/objectives/<int:objective_id>"): (API_OWNER, {"status": "achieved"}),
    ("DELETE", "/api/v1/me/objectives/<int:objective_id>"): (row(401, 204, 404, 404, 404, 404), None),
    ("GET", "/api/v1/me/objectives"): (API_SIGNED_IN, None),
    ("POST", "/api/v1/me/objectives"): (row(401, 201, 201, 201, 201, 201), {"title": "Chartership"}),
    ("GET", "/api/v1/me/cpd-records/<int:record_id>"): (API_OWNER, None),
    ("PATCH", "/api/v1/me/cpd-records/<int:record_id>"): (API_OWNER, {"learning": "More"}),
    ("DELETE", "/api/v1/me/cpd-records/<int:record_id>"): (row(401, 204, 404, 404, 404, 404), None),
    ("GET", "/api/v1/me/cpd-records"): (API_SIGNED_IN, None),
    ("POST", "/api/v1/me/cpd-records"): (row(401, 201, 201, 201, 201, 201), ACTIVITY),
    ("GET", "/api/v1/members/<int:member_id>/cpd-records"): (row(401, 200, 403, 403, 403, 200), None),
    ("GET", "/api/v1/me/cpd-profile.pdf"): (API_SIGNED_IN, None),
    ("GET", "/api/v1/me/cpd-records.csv"): (API_SIGNED_IN, None),
    ("GET", "/api/v1/me/cpd-summary"): (API_SIGNED_IN, None),
    ("POST", "/api/v1/me/cpd-records/<int:record_id>/evidence"): (row(401, 201, 404, 404, 404, 404), "upload"),
    ("GET", "/api/v1/me/xapi-statements"): (API_SIGNED_IN, None),
    ("GET", "/api/v1/cpd-policies"): (EVERYONE_200, None),
    ("GET", "/api/v1/cpd-topics"): (EVERYONE_200, None),
    ("GET", "/api/v1/members/<int:member_id>/cpd-exemptions"): (API_STAFF, None),
    ("POST", "/api/v1/members/<int:member_id>/cpd-exemptions"): (row(401, 403, 403, 403, 403, 201), {
        "kind": "part_time", "starts_on": "2026-01-01", "ends_on": "2026-12-31", "reduction": 0.5}),
    ("GET", "/api/v1/events/<int:event_id>/bookings"): (API_STAFF, None),
    ("POST", "/api/v1/events/<int:event_id>/bookings"): (row(401, 409, 201, 201, 201, 201), None),
    ("GET", "/api/v1/events"): (EVERYONE_200, None),
    ("POST", "/api/v1/events"): (row(401, 403, 403, 403, 403, 201), EVENT),
    ("GET", "/api/v1/me/calendar-feed"): (API_SIGNED_IN, None),
    ("POST", "/api/v1/me/calendar-feed"): (API_SIGNED_IN, None),
    ("GET", "/api/v1/bookings/<int:booking_id>"): (row(401, 200, 404, 404, 404, 200), None),
    ("DELETE", "/api/v1/bookings/<int:booking_id>"): (row(401, 200, 404, 404, 404, 200), None),
    ("GET", "/api/v1/events/<int:event_id>"): (EVERYONE_200, None),
    ("PATCH", "/api/v1/events/<int:event_id>"): (API_STAFF, {"title": "Renamed"}),
    ("POST", "/api/v1/events/<int:event_id>/sessions"): (row(401, 403, 403, 403, 403, 422),
                                                         {"title": "Talk", "starts_at": "2031-01-01T10:00:00",
                                                          "ends_at": "2031-01-01T11:00:00"}),
    ("GET", "/api/v1/events/<int:event_id>/attendees.csv"): (API_STAFF, None),
    ("GET", "/api/v1/calendar/<token>.ics"): (EVERYONE_200, None),
    ("POST", "/api/v1/events/<int:event_id>/cancel"): (API_STAFF, None),
    ("GET", "/api/v1/events/<int:event_id>/calendar.ics"): (EVERYONE_200, None),
    ("POST", "/api/v1/events/<int:event_id>/feedback"): (row(401, 201, 403, 403, 403, 403), {"rating": 5}),
    ("GET", "/api/v1/me/bookings"): (API_SIGNED_IN, None),
    ("PUT", "/api/v1/events/<int:event_id>/attendance"): (API_STAFF, "register"),
    ("GET", "/api/v1/exports/attendance.csv"): (API_STAFF, None),
    ("GET", "/api/v1/exports/attendance.xlsx"): (API_STAFF, None),
    ("GET", "/api/v1/exports/members.csv"): (API_STAFF, None),
    ("GET", "/api/v1/exports/members.xlsx"): (API_STAFF, None),
    ("GET", "/api/v1/me"): (API_SIGNED_IN, None),
    ("PATCH", "/api/v1/me"): (API_SIGNED_IN, {"discipline": "science"}),
    ("DELETE", "/api/v1/me"): (row(401, 204, 204, 204, 204, 204), None),
    ("GET", "/api/v1/me/export"): (API_SIGNED_IN, None),
    ("GET", "/api/v1/members/<int:member_id>"): (row(401, 403, 403, 403, 403, 200), None),
    ("PATCH", "/api/v1/members/<int:member_id>"): (API_STAFF, {"grade": "fellow"}),
    ("POST", "/api/v1/members/<int:member_id>/registrations"): (row(401, 403, 403, 403, 403, 201),
                                                                {"title": "IEng", "awarded_on": "2025-01-01"}),
    ("POST", "/api/v1/members/<int:member_id>/erase"): (API_STAFF, None),
    ("GET", "/api/v1/members"): (API_STAFF, None),
    ("GET", "/api/v1/metrics/kpis"): (API_STAFF, None),
    ("PUT", "/api/v1/sigs/<int:sig_id>/leads/<int:member_id>"): (API_STAFF, None),
    ("DELETE", "/api/v1/sigs/<int:sig_id>/leads/<int:member_id>"): (row(401, 403, 403, 403, 403, 204), None),
    ("GET", "/api/v1/sigs/<int:sig_id>"): (EVERYONE_200, None),
    ("PATCH", "/api/v1/sigs/<int:sig_id>"): (API_STAFF, {"description": "Changed"}),
    ("GET", "/api/v1/sigs"): (EVERYONE_200, None),
    ("POST", "/api/v1/sigs"): (row(401, 403, 403, 403, 403, 201), {"name": "New group"}),
    ("POST", "/api/v1/sigs/<int:sig_id>/members"): (row(401, 201, 201, 409, 201, 201), None),
    ("DELETE", "/api/v1/sigs/<int:sig_id>/members/me"): (row(401, 404, 404, 409, 404, 404), None),
    ("GET", "/api/v1/me/led-sigs"): (API_SIGNED_IN, None),
    ("PUT", "/api/v1/events/<int:event_id>/reach"): (row(401, 403, 403, 200, 403, 200),
                                                     {"young_people": 1, "parents": 1, "teachers": 1}),
    ("GET", "/api/v1/openapi.json"): (EVERYONE_200, None),
    ("POST", "/api/v1/auth/password-reset"): (row(202, 202, 202, 202, 202, 202), {"email": "owner@example.org"}),
    ("POST", "/api/v1/auth/password-reset/<token>"): (row(404, 404, 404, 404, 404, 404),
                                                      {"password": "a brand new passphrase"}),
    ("POST", "/api/v1/me/password"): (row(401, 204, 204, 204, 204, 204),
                                      {"current_password": "correct horse battery",
                                       "new_password": "a brand new passphrase"}),
    ("POST", "/api/v1/me/email"): (row(401, 202, 202, 202, 202, 202),
                                   {"email": "changed@example.org", "password": "correct horse battery"}),
    ("DELETE", "/api/v1/me/sessions"): (row(401, 204, 204, 204, 204, 204), None),
    ("GET", "/api/v1/me/two-factor"): (API_SIGNED_IN, None),
    ("POST", "/api/v1/me/two-factor"): (row(401, 201, 201, 201, 201, 201), None),
    ("DELETE", "/api/v1/me/two-factor"): (row(401, 204, 204, 204, 204, 204), {"code": "123456"}),
    ("POST", "/api/v1/me/two-factor/confirm"): (row(401, 422, 422, 422, 422, 422), {"code": "123456"}),
    ("POST", "/api/v1/events/<int:event_id>/sessions/<int:session_id>/places"): (row(401, 404, 404, 404, 404, 404),
                                                                                 None),
    ("DELETE", "/api/v1/session-places/<int:place_id>"): (row(401, 404, 404, 404, 404, 404), None),
    ("GET", "/api/v1/publications"): (EVERYONE_200, None),
    ("POST", "/api/v1/publications"): (row(401, 403, 403, 403, 403, 201),
                                       {"title": "Journal 12", "kind": "journal_issue", "published_on": "2026-01-05"}),
    ("POST", "/api/v1/publications/<int:publication_id>/read"): (row(401, 201, 201, 201, 201, 201), None),
    ("GET", "/api/v1/engagements"): (API_STAFF, None),
    ("POST", "/api/v1/engagements"): (row(401, 403, 403, 403, 403, 201), {
        "kind": "government", "organisation": "DSIT", "title": "Skills round table", "happened_on": "2026-02-02"}),
    ("GET", "/api/v1/supporters"): (API_STAFF, None),
    ("POST", "/api/v1/supporters"): (row(401, 403, 403, 403, 403, 201),
                                     {"name": "Acme Labs", "kind": "employer", "since": "2025-01-01"}),
    ("GET", "/api/v1/surveys"): (API_SIGNED_IN, None),
    ("POST", "/api/v1/surveys"): (row(401, 403, 403, 403, 403, 201), {
        "title": "Members' survey", "opens_on": "2026-01-01", "closes_on": "2026-01-31",
        "questions": [{"text": "How satisfied are you?", "kind": "rating"}]}),
    ("GET", "/api/v1/surveys/<int:survey_id>"): (API_SIGNED_IN, None),
    ("POST", "/api/v1/surveys/<int:survey_id>/responses"): (row(401, 201, 201, 201, 201, 201), {"answers": [4]}),
    ("GET", "/api/v1/me/equality"): (API_SIGNED_IN, None),
    ("PUT", "/api/v1/me/equality"): (API_SIGNED_IN, {"consent": True, "gender": "prefer_not_to_say"}),
    ("GET", "/api/v1/metrics/targets"): (API_STAFF, None),
    ("PUT", "/api/v1/metrics/targets"): (API_STAFF, {"year": YEAR, "measure": "cpd.hours_logged", "target": 100}),
    ("GET", "/api/v1/registration-titles"): (EVERYONE_200, None),
    ("PATCH", "/api/v1/registration-titles/<title>"): (row(401, 403, 403, 403, 403, 200), {"interview": True}),
    ("GET", "/api/v1/me/competence-map/<title>"): (API_SIGNED_IN, None),
    ("GET", "/api/v1/me/applications"): (API_SIGNED_IN, None),
    # Only a member of the body (graded) applies: `other` and staff have no grade.
    ("POST", "/api/v1/me/applications"): (row(401, 201, 403, 201, 201, 403), {"title": "ICTTech"}),
    ("GET", "/api/v1/me/applications/<int:application_id>"): (API_OWNER, None),
    ("PATCH", "/api/v1/me/applications/<int:application_id>"): (API_OWNER, {
        "referees": [{"name": "Sam Referee", "email": "sam@example.org"}]}),
    ("POST", "/api/v1/me/applications/<int:application_id>/submit"): (row(401, 422, 404, 404, 404, 404), None),
    ("POST", "/api/v1/me/applications/<int:application_id>/withdraw"): (row(401, 200, 404, 404, 404, 404), None),
    ("POST", "/api/v1/supporter-confirmations/<token>"): (row(404, 404, 404, 404, 404, 404), {"confirmed": True}),
    ("POST", "/api/v1/referee-confirmations/<token>"): (row(404, 404, 404, 404, 404, 404), {"confirmed": True}),
    # The world's application is a draft: nothing to appeal, no interview to schedule (CSci has none).
    ("POST", "/api/v1/me/applications/<int:application_id>/appeal"): (row(401, 409, 404, 404, 404, 404),
                                                                      {"grounds": "The decision missed B2."}),
    ("GET", "/api/v1/applications/figures"): (API_STAFF, None),
    ("POST", "/api/v1/applications/<int:application_id>/interview"): (row(401, 403, 403, 403, 403, 409), {
        "starts_at": "2031-01-01T10:00:00", "timezone": "Europe/London", "venue": "HQ", "interviewer_ids": [1, 2]}),
    ("PUT", "/api/v1/applications/<int:application_id>/interview-report"): (row(401, 404, 404, 404, 404, 404), {
        "competences": {}, "recommendation": "register"}),
    ("GET", "/api/v1/me/interviews"): (API_SIGNED_IN, None),
    # The member's CEng is held: there is nothing to reinstate.
    ("POST", "/api/v1/members/<int:member_id>/registrations/<int:registration_id>/reinstatement"): (
        row(401, 403, 403, 403, 403, 409), {"reason": "Fees paid."}),
    ("GET", "/api/v1/applications"): (API_STAFF, None),
    ("GET", "/api/v1/applications/<int:application_id>"): (row(401, 404, 404, 404, 404, 200), None),
    ("PUT", "/api/v1/applications/<int:application_id>/assessors"): (row(401, 403, 403, 403, 403, 409),
                                                                     {"member_ids": [1, 2]}),
    ("PUT", "/api/v1/applications/<int:application_id>/assessment"): (row(401, 404, 404, 404, 404, 404), {
        "competences": {}, "recommendation": "register"}),
    ("POST", "/api/v1/applications/<int:application_id>/decision"): (row(401, 403, 403, 403, 403, 422),
                                                                     {"outcome": "ratified"}),
    ("GET", "/api/v1/me/assessments"): (API_SIGNED_IN, None),
    ("GET", "/api/v1/me/declarations"): (API_SIGNED_IN, None),
    ("POST", "/api/v1/me/declarations"): (row(401, 201, 403, 201, 201, 403), {"year": YEAR, "meets_standards": True}),
    ("GET", "/api/v1/declarations"): (API_STAFF, None),
    ("GET", "/api/v1/cpd-audits"): (API_STAFF, None),
    ("POST", "/api/v1/cpd-audits"): (row(401, 403, 403, 403, 403, 201), {"year": YEAR, "sample_percent": 50, "seed": 1}),
    ("GET", "/api/v1/cpd-audits/<int:audit_id>"): (API_STAFF, None),
    ("GET", "/api/v1/me/audit-cases"): (API_SIGNED_IN, None),
    ("POST", "/api/v1/me/audit-cases/<int:case_id>/submit"): (row(401, 200, 404, 404, 404, 404), None),
    ("POST", "/api/v1/me/audit-cases/<int:case_id>/deferral"): (row(401, 200, 404, 404, 404, 404),
                                                                {"reason": "On leave."}),
    ("GET", "/api/v1/audit-cases/<int:case_id>"): (API_STAFF, None),
    # The world's case waits for the member's profile: not found not met, so nothing to appeal yet.
    ("POST", "/api/v1/me/audit-cases/<int:case_id>/appeal"): (row(401, 409, 404, 404, 404, 404),
                                                              {"grounds": "The records were there."}),
    ("POST", "/api/v1/audit-cases/<int:case_id>/extension"): (row(401, 403, 403, 403, 403, 200), {
        "due_on": (utcnow().date() + timedelta(days=200)).isoformat(), "reason": "Parental leave."}),
    # The case of the world is not submitted: no frozen evidence, so staff hear 404.
    ("GET", "/api/v1/audit-cases/<int:case_id>/evidence/<int:number>"): (row(401, 403, 403, 403, 403, 404), None),
    ("PUT", "/api/v1/audit-cases/<int:case_id>/outcome"): (row(401, 403, 403, 403, 403, 422), {"outcome": "accepted"}),
    ("GET", "/api/v1/me/credentials"): (API_SIGNED_IN, None),
    ("GET", "/api/v1/credentials/<credential_id>/certificate.pdf"): (row(401, 200, 404, 404, 404, 404), None),
    ("GET", "/api/v1/credentials/<credential_id>.jwt"): (EVERYONE_200, None),
    ("GET", "/api/v1/credentials/<credential_id>/verify"): (EVERYONE_200, None),
    ("GET", "/api/v1/status-lists/<int:number>.jwt"): (EVERYONE_200, None),
    ("POST", "/api/v1/webhooks"): (row(401, 403, 403, 403, 403, 201),
                                   {"url": "http://127.0.0.1:9/hook", "events": ["order.paid"]}),
    ("GET", "/api/v1/webhooks"): (API_STAFF, None),
    ("DELETE", "/api/v1/webhooks/<int:subscription_id>"): (row(401, 403, 403, 403, 403, 404), None),
    ("GET", "/api/v1/webhooks/<int:subscription_id>/deliveries"): (row(401, 403, 403, 403, 403, 404), None),
    ("POST", "/api/v1/webhook-deliveries/<int:delivery_id>/replay"): (row(401, 403, 403, 403, 403, 404), None),
    # Learning systems send statements with their own key and secret (HTTP Basic): no person's token will do.
    ("POST", "/api/v1/xapi/statements"): (row(401, 401, 401, 401, 401, 401), {"actor": {}}),
    ("PUT", "/api/v1/xapi/statements"): (row(401, 401, 401, 401, 401, 401), {"actor": {}}),
    ("GET", "/api/v1/xapi/about"): (EVERYONE_200, None),
    ("GET", "/api/v1/xapi/unmatched"): (API_STAFF, None),
    ("POST", "/api/v1/xapi/unmatched/<int:statement_id>/match"): (row(401, 403, 403, 403, 403, 404),
                                                                 {"member_id": 1}),
    # Organisations: staff make them and approve schemes; an organisation's admins see its people (nobody
    # else, staff included, so the world's absent organisation is 404 to all who may ask).
    ("POST", "/api/v1/organisations"): (row(401, 403, 403, 403, 403, 201), {"name": "Acme", "kind": "employer"}),
    ("GET", "/api/v1/organisations"): (API_STAFF, None),
    ("PUT", "/api/v1/organisations/<int:organisation_id>/admins/<int:member_id>"): (row(401, 403, 403, 403, 403, 404),
                                                                                   None),
    ("POST", "/api/v1/organisations/<int:organisation_id>/invitation"): (row(401, 404, 404, 404, 404, 404), None),
    ("POST", "/api/v1/organisation-invitations/<token>"): (row(401, 404, 404, 404, 404, 404), None),
    ("GET", "/api/v1/organisations/<int:organisation_id>/people"): (row(401, 404, 404, 404, 404, 404), None),
    ("GET", "/api/v1/me/organisations"): (API_SIGNED_IN, None),
    ("POST", "/api/v1/organisations/<int:organisation_id>/people"): (row(401, 404, 404, 404, 404, 404),
                                                                    {"email": "someone@example.org"}),
    ("POST", "/api/v1/me/organisations/<int:organisation_id>/confirm"): (row(401, 404, 404, 404, 404, 404), None),
    ("POST", "/api/v1/organisations/<int:organisation_id>/bookings"): (
        row(401, 404, 404, 404, 404, 404), {"event_id": 1, "member_ids": [1], "price_id": 1}),
    ("DELETE", "/api/v1/me/organisations/<int:organisation_id>"): (row(401, 404, 404, 404, 404, 404), None),
    ("PUT", "/api/v1/me/employer-sharing"): (row(401, 404, 404, 404, 404, 404),
                                             {"organisation_id": 2**31 - 2, "share": True}),
    ("POST", "/api/v1/organisations/<int:organisation_id>/approvals"): (
        row(401, 403, 403, 403, 403, 404), {"policy": "science_council", "from": "2026-01-01", "until": "2026-12-31"}),
    ("GET", "/api/v1/organisations/<int:organisation_id>/approvals"): (row(401, 403, 403, 403, 403, 404), None),
    ("POST", "/api/v1/organisations/<int:organisation_id>/approvals/<int:approval_id>/self-assessments"): (
        row(401, 404, 404, 404, 404, 404), None),
    ("GET", "/api/v1/organisations/<int:organisation_id>/self-assessments"): (row(401, 403, 403, 403, 403, 404), None),
    ("PUT", "/api/v1/self-assessments/<int:assessment_id>/review"): (row(401, 403, 403, 403, 403, 404),
                                                                    {"outcome": "accepted"}),
    ("GET", "/api/v1/self-assessments/<int:assessment_id>/document.pdf"): (row(401, 404, 404, 404, 404, 404), None),
    # Mentors: anyone signed in invites one; only a member's active mentor reads their log (404 to others).
    ("POST", "/api/v1/me/mentors"): (row(401, 201, 201, 201, 201, 201), {"email": "a.mentor@example.org"}),
    ("GET", "/api/v1/me/mentors"): (API_SIGNED_IN, None),
    ("DELETE", "/api/v1/me/mentors/<int:mentorship_id>"): (row(401, 404, 404, 404, 404, 404), None),
    ("GET", "/api/v1/me/mentor-comments"): (API_SIGNED_IN, None),
    ("GET", "/api/v1/me/mentees"): (API_SIGNED_IN, None),
    ("POST", "/api/v1/me/mentees/<int:mentorship_id>/accept"): (row(401, 404, 404, 404, 404, 404), None),
    ("GET", "/api/v1/mentees/<int:member_id>/cpd-records"): (row(401, 404, 404, 404, 404, 404), None),
    ("GET", "/api/v1/mentees/<int:member_id>/plan"): (row(401, 404, 404, 404, 404, 404), None),
    ("POST", "/api/v1/mentees/<int:member_id>/comments"): (row(401, 404, 404, 404, 404, 404), {"text": "Well done"}),
    ("POST", "/api/v1/mentees/<int:member_id>/meetings"): (row(401, 404, 404, 404, 404, 404),
                                                          {"on": "2026-01-05", "hours": 1}),
    ("GET", "/api/v1/mentees/<int:member_id>/competence-map/<title>"): (row(401, 404, 404, 404, 404, 404), None),
    ("GET", "/api/v1/mentees/<int:member_id>/applications"): (row(401, 404, 404, 404, 404, 404), None),
    ("POST", "/api/v1/mentees/<int:member_id>/applications/<int:application_id>/statements/<code>/verification"): (
        row(401, 404, 404, 404, 404, 404), None),
    ("POST", "/api/v1/me/mentors/<int:mentorship_id>/meetings"): (row(401, 404, 404, 404, 404, 404),
                                                                 {"on": "2026-01-05", "hours": 1}),
    ("POST", "/api/v1/events/<int:event_id>/messages"): (row(401, 403, 403, 403, 403, 201),
                                                        {"subject": "Room change", "body": "We meet in room 2."}),
    # Each signed-in person's own transcript: those with no credentials this year have none.
    ("GET", "/api/v1/me/transcripts/<int:year>.jwt"): (row(401, 200, 404, 200, 200, 404), None),
    ("POST", "/api/v1/credential-verifications"): (EVERYONE_200, {"jwt": "not.a.token"}),
    ("GET", "/api/v1/exports/jobs/<job_id>"): (row(401, 403, 403, 403, 403, 404), None),
    ("GET", "/api/v1/exports/jobs/<job_id>/download"): (row(401, 403, 403, 403, 403, 404), None),
}

PAGES = {
    "/signin": SIGNED_IN_GO_HOME, "/signup": SIGNED_IN_GO_HOME,
    "/courses/new": PAGE_STAFF, "/events/<int:event_id>/sessions/new": PAGE_STAFF,
    "/bookings/<int:booking_id>/cancel": row(302, 200, 404, 404, 404, 200),
    "/events/<int:event_id>/cancel": PAGE_STAFF, "/courses": EVERYONE_200,
    "/events/<int:event_id>/edit": PAGE_STAFF, "/events/new": row(302, 403, 403, 200, 200, 200),
    "/events/<int:event_id>": EVERYONE_200, "/events": EVERYONE_200, "/bookings": PAGE_SIGNED_IN,
    "/events/<int:event_id>/register": PAGE_STAFF, "/healthz": EVERYONE_200, "/readyz": EVERYONE_200,
    "/": EVERYONE_200, "/profile/data.zip": PAGE_SIGNED_IN, "/staff/members/<int:member_id>/erase": PAGE_STAFF,
    "/profile/erase": PAGE_SIGNED_IN, "/staff/members/<int:member_id>": PAGE_STAFF, "/staff/members": PAGE_STAFF,
    "/profile": PAGE_SIGNED_IN, "/staff/figures": PAGE_STAFF, "/cpd/new": PAGE_SIGNED_IN,
    "/cpd/<int:record_id>/delete": PAGE_OWNER,
    "/cpd/<int:record_id>/evidence/<int:evidence_id>/delete": PAGE_OWNER,
    "/cpd/plan/<int:objective_id>/delete": PAGE_OWNER,
    "/cpd/<int:record_id>/evidence/<int:evidence_id>": row(302, 200, 404, 404, 404, 200),
    "/cpd/plan/<int:objective_id>/edit": PAGE_OWNER, "/cpd/plan/new": PAGE_SIGNED_IN,
    "/cpd/<int:record_id>/edit": PAGE_OWNER, "/cpd/members/<int:member_id>": PAGE_STAFF, "/cpd/plan": PAGE_SIGNED_IN,
    "/cpd/<int:record_id>": PAGE_OWNER, "/cpd/": PAGE_SIGNED_IN, "/cpd/summary": PAGE_SIGNED_IN,
    "/sigs/<int:sig_id>/edit": PAGE_STAFF, "/sigs/new": PAGE_STAFF, "/sigs/<int:sig_id>/leads": PAGE_STAFF,
    "/my-sigs": PAGE_SIGNED_IN, "/events/<int:event_id>/reach": row(302, 403, 403, 200, 403, 200),
    "/sigs/<int:sig_id>": EVERYONE_200, "/sigs": EVERYONE_200,
    "/forgot-password": EVERYONE_200, "/reset-password/<token>": row(404, 404, 404, 404, 404, 404),
    "/confirm-email/<token>": row(404, 404, 404, 404, 404, 404), "/profile/password": PAGE_SIGNED_IN,
    "/profile/email": PAGE_SIGNED_IN, "/profile/two-factor": PAGE_SIGNED_IN,
    "/events/calendar": EVERYONE_200, "/events/<int:event_id>/message": PAGE_STAFF,
    "/publications": EVERYONE_200, "/staff/publications/new": PAGE_STAFF,
    # Anyone: counted, then off to its copy (this one has none: back to the list).
    "/publications/<int:publication_id>/download": row(302, 302, 302, 302, 302, 302),
    "/staff/engagements": PAGE_STAFF,
    "/staff/supporters": PAGE_STAFF, "/surveys": PAGE_SIGNED_IN, "/surveys/<int:survey_id>": PAGE_SIGNED_IN,
    "/staff/surveys/new": PAGE_STAFF, "/profile/equality": PAGE_SIGNED_IN, "/staff/figures/targets": PAGE_STAFF,
    "/registration": PAGE_SIGNED_IN, "/registration/titles/<title>": PAGE_SIGNED_IN,
    "/registration/applications/<int:application_id>": PAGE_OWNER, "/supporters/<token>": row(404, 404, 404, 404, 404, 404),
    "/staff/applications": PAGE_STAFF, "/staff/applications/<int:application_id>": PAGE_STAFF,
    "/assessments": PAGE_SIGNED_IN, "/assessments/<int:application_id>": row(302, 404, 404, 404, 404, 404),
    "/interviews": PAGE_SIGNED_IN, "/interviews/<int:application_id>": row(302, 404, 404, 404, 404, 404),
    "/revalidation": PAGE_SIGNED_IN, "/staff/revalidation": PAGE_STAFF, "/staff/cpd-audits/<int:audit_id>": PAGE_STAFF,
    "/staff/audit-cases/<int:case_id>": PAGE_STAFF,
    "/staff/audit-cases/<int:case_id>/evidence/<int:number>": row(302, 403, 403, 403, 403, 404),
    "/credentials": PAGE_SIGNED_IN, "/credentials/<credential_id>": EVERYONE_200, "/.well-known/jwks.json": EVERYONE_200,
    "/.well-known/openid-configuration": EVERYONE_200,
    # Anyone signed out is sent to sign in; signed in, a request with no client is refused as OAuth says.
    "/oauth/authorize": row(302, 400, 400, 400, 400, 400),
    "/oauth/userinfo": row(401, 401, 401, 401, 401, 401),
    # No ID token hint: asked to confirm (signed out or in).
    "/oauth/logout": EVERYONE_200,
    "/staff/sign-on-clients": PAGE_STAFF,
    # Signing in through the body's identity provider: not found unless OIDC_ISSUER is set.
    "/signin/provider": row(404, 404, 404, 404, 404, 404),
    "/signin/provider/callback": row(404, 404, 404, 404, 404, 404),
    "/organisations/join/<token>": row(302, 404, 404, 404, 404, 404),
    "/organisations": PAGE_SIGNED_IN,
    "/organisations/<int:organisation_id>/admin": row(302, 404, 404, 404, 404, 404),
    "/staff/organisations": PAGE_STAFF,
    "/staff/organisations/<int:organisation_id>": row(302, 403, 403, 403, 403, 404),
    "/mentoring": PAGE_SIGNED_IN,
    "/mentees/<int:member_id>": row(302, 404, 404, 404, 404, 404),
    "/mentoring/<token>": row(404, 404, 404, 404, 404, 404),
    # The operator's metrics: a bearer token (METRICS_TOKEN or a staff API token), not a page session.
    "/metrics": row(401, 401, 401, 401, 401, 401),
    "/staff/exports/<job_id>": row(302, 403, 403, 403, 403, 404),
    "/orders/<int:order_id>/pay": row(302, 404, 404, 404, 404, 404),
    "/events/<int:event_id>/checkout": row(302, 302, 302, 302, 302, 302),  # a free event: back to its page
    "/bookings/<int:booking_id>/take-offer": row(302, 302, 404, 404, 404, 404),
    "/staff/orders": PAGE_STAFF, "/staff/orders/<int:order_id>": row(302, 403, 403, 403, 403, 404),
}
NOT_CHECKED_HERE = {"/static/<path:filename>"}
# Endpoints other systems' servers call with credentials of their own (OpenID Connect's token endpoint:
# the client's secret; userinfo: an access token): they take no CSRF token.
CALLED_BY_OTHER_SYSTEMS = {"/oauth/token", "/oauth/userinfo"}


def _registration_of(app, member):
    import sqlalchemy as sa

    from cpd.extensions import db
    from cpd.members.models import ProfessionalRegistration

    with app.app_context():
        return db.session.scalar(sa.select(ProfessionalRegistration.id).where(
            ProfessionalRegistration.member_id == member.id))


def build_world(app, client):
    """The people and things every route is called about: (headers, people, values, special)."""
    create_member, create_sig = member_factory(app), sig_factory(app)
    create_staff, auth_headers = staff_factory(create_member), headers_factory(app)
    create_event, create_booking, create_record = event_factory(app), booking_factory(app), record_factory(app)
    member = create_member(email="owner@example.org", grade="member", created_at=utcnow() - timedelta(days=800),
                           registrations=[("CEng", date(YEAR - 2, 1, 5))])
    other = create_member()
    lead = create_member(grade="member", registrations=[("EngTech", date(YEAR - 1, 3, 1))])
    other_lead = create_member(grade="fellow", registrations=[("RSci", date(YEAR - 1, 3, 1))])
    staff = create_staff()
    sig, _other_sig = create_sig(leads=[lead]), create_sig(leads=[other_lead])
    course_event = create_event(title="Course run")
    past = create_event(starts_at=utcnow() - timedelta(days=1))
    outreach = create_event(kind="outreach", sig_id=sig.id, starts_at=utcnow() - timedelta(days=2))
    record = create_record(member, started_on=date(2025, 2, 2))
    headers = {"member": auth_headers(member), "other": auth_headers(other), "lead": auth_headers(lead),
               "other_lead": auth_headers(other_lead), "staff": auth_headers(staff), "anonymous": {}}
    people = {"member": member, "other": other, "lead": lead, "other_lead": other_lead, "staff": staff}
    booking = client.post(f"/api/v1/events/{course_event.id}/bookings", headers=headers["member"]).get_json()["id"]
    past_booking = create_booking(member, past, attended=True)
    evidence = client.post(f"/api/v1/me/cpd-records/{record.id}/evidence", headers=headers["member"],
                           data={"file": (io.BytesIO(PNG), "c.png")}).get_json()["id"]
    objective = client.post("/api/v1/me/objectives", headers=headers["member"], json={"title": "Plan"}).get_json()["id"]
    feed = client.get("/api/v1/me/calendar-feed", headers=headers["member"]).get_json()["url"].rsplit("/", 1)[1]
    course = client.post("/api/v1/courses", headers=headers["staff"], json={"title": "Catalogue entry"}).get_json()["id"]
    application = client.post("/api/v1/me/applications", headers=headers["member"],
                              json={"title": "CSci"}).get_json()["id"]
    cpd_audit = client.post("/api/v1/cpd-audits", headers=headers["staff"],
                            json={"year": YEAR - 1, "sample_percent": 100, "seed": 1}).get_json()
    credential = next(c["id"] for c in client.get("/api/v1/me/credentials", headers=headers["member"])
                      .get_json()["items"] if c["kind"] == "attendance")
    publication = client.post("/api/v1/publications", headers=headers["staff"], json={
        "title": "Journal 11", "kind": "journal_issue", "published_on": "2025-12-01"}).get_json()["id"]
    survey = client.post("/api/v1/surveys", headers=headers["staff"], json={
        "title": "Open survey", "opens_on": (utcnow().date() - timedelta(days=1)).isoformat(),
        "closes_on": (utcnow().date() + timedelta(days=9)).isoformat(),
        "questions": [{"text": "How was the year?", "kind": "rating"}]}).get_json()["id"]
    values = {"course_id": course, "record_id": record.id, "evidence_id": evidence, "objective_id": objective,
              "member_id": member.id, "booking_id": booking, "event_id": course_event.id, "sig_id": sig.id,
              "token": feed.removesuffix(".ics"), "session_id": 2**31 - 2, "place_id": 2**31 - 2,
              "publication_id": publication, "survey_id": survey, "title": "CEng", "application_id": application,
              "audit_id": cpd_audit["id"], "case_id": cpd_audit["cases"][0]["id"], "number": 1, "credential_id": credential, "year": YEAR, "subscription_id": 2**31 - 2, "delivery_id": 2**31 - 2, "statement_id": 2**31 - 2, "organisation_id": 2**31 - 2, "mentorship_id": 2**31 - 2, "approval_id": 2**31 - 2, "assessment_id": 2**31 - 2,
              "job_id": "no-such-export", "order_id": 2**31 - 2, "registration_id": _registration_of(app, member)}
    special = {"past": past.id, "outreach": outreach.id, "past_booking": past_booking, "lead_id": lead.id}
    return headers, people, values, special


def url_for_case(rule, method, values, special):
    values = dict(values)
    if rule.endswith("/feedback") or rule.endswith("/attendance"):
        values["event_id"] = special["past"]
    if rule.endswith("/reach"):
        values["event_id"] = special["outreach"]
    if rule == "/api/v1/sigs/<int:sig_id>/leads/<int:member_id>" and method == "DELETE":
        values["member_id"] = special["lead_id"]
    url = rule
    for name, value in values.items():
        for converter in ("int:", ""):
            url = url.replace(f"<{converter}{name}>", str(value))
    return url


def cases(reads):
    """(kind, method, rule) of every GET (reads=True: they change nothing, so one world serves them
    all) or of every other API method (reads=False: each gets a world of its own)."""
    found = [("api", method, rule) for method, rule in API if (method == "GET") == reads]
    return found + ([("page", "GET", rule) for rule in PAGES] if reads else [])


def call(client, world, kind, method, rule, role):
    """The response `role` gets from `rule`, and the status the table expects."""
    headers, people, values, special = world
    url = url_for_case(rule, method, values, special)
    if kind == "api":
        expected, body = API[(method, rule)]
        if rule == "/api/v1/metrics/kpis" or rule.startswith("/api/v1/exports/members") or (
                rule in ("/api/v1/metrics/targets", "/api/v1/declarations") and method == "GET"):
            url += f"?year={YEAR}"
        if body == "upload":
            response = client.post(url, headers=headers[role], data={"file": (io.BytesIO(PNG), "e.png")})
        else:
            if body == "register":
                body = {"attended": [special["past_booking"]]}
            response = client.open(url, method=method, headers=headers[role], json=body)
    else:
        expected = PAGES[rule]
        if role != "anonymous":
            with client.session_transaction() as session:
                session["_user_id"] = people[role].get_id()
                session["_fresh"] = True
        response = client.get(url)
    return response, expected[role]
