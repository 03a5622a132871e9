"""/api/v1: the member's mentors (invite, list, end); a member mentor's mentees (accept, read the
log and plan, comment, log meetings). Whoever is not an active mentor of a member hears 404."""
from cpd.core.api import Blueprint, documents_errors
from cpd.core.pagination import PageArgsSchema, paginate
from cpd.extensions import db
from cpd.mentoring import services
from cpd.mentoring.schemas import (CommentListSchema, CommentRequestSchema, CommentSchema, MeetingRequestSchema,
                                   MenteeListSchema, MenteeSchema, MentorInviteSchema, MentorshipListSchema,
                                   MentorshipSchema)
from cpd.records import plan
from cpd.records.schemas import CpdRecordListSchema, ObjectiveListSchema
from cpd.web.current import require_actor

blp = Blueprint("api_mentoring", __name__, description="Mentors and line managers")


@blp.route("/me/mentors", methods=["POST"])
@blp.arguments(MentorInviteSchema)
@blp.response(201, MentorshipSchema)
@documents_errors(blp, 401, 409, 422)
def invite(values):
    """Invite a mentor or line manager by email (a member or not): a private link that expires"""
    mentorship = services.invite(require_actor(), values["email"])
    db.session.commit()
    return mentorship


@blp.route("/me/mentors", methods=["GET"])
@blp.response(200, MentorshipListSchema)
@documents_errors(blp, 401)
def mentors():
    """My mentors, invited, active and ended"""
    return {"items": services.mentors_of(require_actor())}


@blp.route("/me/mentors/<int:mentorship_id>", methods=["DELETE"])
@blp.response(200, MentorshipSchema)
@documents_errors(blp, 401, 404)
def end(mentorship_id):
    """End a mentoring: the mentor loses access at once"""
    mentorship = services.end(require_actor(), mentorship_id)
    db.session.commit()
    return mentorship


@blp.route("/me/mentor-comments")
@blp.response(200, CommentListSchema)
@documents_errors(blp, 401)
def comments_for_me():
    """My mentors' comments on my log, newest first"""
    return {"items": services.comments_on(require_actor().id)}


@blp.route("/me/mentees")
@blp.response(200, MenteeListSchema)
@documents_errors(blp, 401)
def mentees():
    """Members who invited me as their mentor, and those I mentor"""
    return {"items": services.invitations_and_mentees(require_actor())}


@blp.route("/me/mentees/<int:mentorship_id>/accept", methods=["POST"])
@blp.response(200, MenteeSchema)
@documents_errors(blp, 401, 404)
def accept(mentorship_id):
    """Accept an invitation to mentor a member"""
    mentorship = services.accept(require_actor(), mentorship_id)
    db.session.commit()
    return mentorship


@blp.route("/mentees/<int:member_id>/cpd-records")
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, CpdRecordListSchema)
@documents_errors(blp, 401, 404, 422)
def mentee_records(args, member_id):
    """A mentee's CPD log (their active mentor)"""
    mentorship = services.active_mentorship(require_actor(), member_id)
    return paginate(services.shared_records(mentorship), args["page"], args["per_page"])


@blp.route("/mentees/<int:member_id>/plan")
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, ObjectiveListSchema)
@documents_errors(blp, 401, 404, 422)
def mentee_plan(args, member_id):
    """A mentee's development plan (their active mentor)"""
    services.active_mentorship(require_actor(), member_id)
    return paginate(plan.objective_search(member_id), args["page"], args["per_page"])


@blp.route("/mentees/<int:member_id>/comments", methods=["POST"])
@blp.arguments(CommentRequestSchema)
@blp.response(201, CommentSchema)
@documents_errors(blp, 401, 404, 422)
def comment(values, member_id):
    """Comment on a mentee's log, or on one of its records (their active mentor)"""
    mentorship = services.active_mentorship(require_actor(), member_id)
    made = services.comment(mentorship, values["text"], values["record_id"])
    db.session.commit()
    return made


@blp.route("/mentees/<int:member_id>/meetings", methods=["POST"])
@blp.arguments(MeetingRequestSchema)
@blp.response(201, CpdRecordListSchema)
@documents_errors(blp, 401, 404, 422)
def meeting(values, member_id):
    """Log a mentoring meeting: a CPD record for the mentee, and one for the mentor"""
    actor = require_actor()
    made = services.log_meeting(services.active_mentorship(actor, member_id), values, actor)
    db.session.commit()
    return {"items": made, "total": len(made), "page": 1, "per_page": len(made)}


@blp.route("/me/mentors/<int:mentorship_id>/meetings", methods=["POST"])
@blp.arguments(MeetingRequestSchema)
@blp.response(201, CpdRecordListSchema)
@documents_errors(blp, 401, 404, 422)
def my_meeting(values, mentorship_id):
    """Log a meeting with my mentor: a CPD record for me (and for a member mentor)"""
    actor = require_actor()
    made = services.log_meeting(services.own_active_mentorship(actor, mentorship_id), values, actor)
    db.session.commit()
    return {"items": made, "total": len(made), "page": 1, "per_page": len(made)}
