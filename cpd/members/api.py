"""/api/v1/me and /api/v1/members."""
from flask.views import MethodView

from cpd.web.current import require_actor, require_staff, staff_only
from cpd.core.api import Blueprint, documents_errors
from cpd.core.pagination import page_args, paginate
from cpd.extensions import db
from cpd.members import equality, services
from cpd.members.schemas import (
    MemberListSchema,
    EqualitySchema,
    MemberSchema,
    MemberSearchArgsSchema,
    ProfileUpdateSchema,
    RegistrationSchema,
)

me_blp = Blueprint("api_me", __name__, description="The signed-in member's own profile")
members_blp = Blueprint("api_members", __name__, description="Member profiles (staff)")


@me_blp.route("")
class OwnProfile(MethodView):
    @me_blp.response(200, MemberSchema)
    @documents_errors(me_blp, 401)
    def get(self):
        return require_actor()

    @me_blp.arguments(ProfileUpdateSchema)
    @me_blp.response(200, MemberSchema)
    @documents_errors(me_blp, 400, 401, 403, 422)
    def patch(self, changes):
        member = services.update_own_profile(require_actor(), changes)
        db.session.commit()
        return member


@me_blp.route("/equality")
class OwnEquality(MethodView):
    @me_blp.response(200, EqualitySchema)
    @documents_errors(me_blp, 401)
    def get(self):
        """My equality answers (voluntary; only I see them)"""
        return equality.answers_of(require_actor())

    @me_blp.arguments(EqualitySchema)
    @me_blp.response(200, EqualitySchema)
    @documents_errors(me_blp, 400, 401, 422)
    def put(self, values):
        """Give my equality answers with consent, or withdraw consent (which deletes them)"""
        answers = equality.give_answers(require_actor(), values)
        db.session.commit()
        return answers


@members_blp.route("")
@members_blp.arguments(MemberSearchArgsSchema, location="query")
@members_blp.response(200, MemberListSchema)
@documents_errors(members_blp, 401, 403, 422)
@staff_only
def list_members(args):
    filters, page, per_page = page_args(args)
    return paginate(services.member_search(**filters), page, per_page)


@members_blp.route("/<int:member_id>")
class MemberProfile(MethodView):
    @members_blp.response(200, MemberSchema)
    @documents_errors(members_blp, 401, 403, 404)
    @staff_only
    def get(self, member_id):
        return services.get_member(member_id)

    @members_blp.arguments(ProfileUpdateSchema)
    @members_blp.response(200, MemberSchema)
    @documents_errors(members_blp, 400, 401, 403, 404, 422)
    @staff_only
    def patch(self, changes, member_id):
        actor = require_staff()
        member = services.update_member(actor, services.get_member(member_id), changes)
        db.session.commit()
        return member


@members_blp.route("/<int:member_id>/registrations", methods=["POST"])
@members_blp.arguments(RegistrationSchema)
@members_blp.response(201, RegistrationSchema)
@documents_errors(members_blp, 400, 401, 403, 404, 409, 422)
@staff_only
def add_registration(registration, member_id):
    actor = require_staff()
    member = services.get_member(member_id)
    created = services.add_registration(actor, member, **registration)
    db.session.commit()
    return created
