"""/api/v1/sigs, membership, leads, outreach reach and the lead's report."""
from flask.views import MethodView

from cpd.web.current import api_actor, public, require_actor, staff_only
from cpd.core.api import Blueprint, documents_errors
from cpd.core.pagination import page_args, paginate
from cpd.events import catalogue
from cpd.extensions import db
from cpd.sigs import services
from cpd.sigs.schemas import (
    LedSigListSchema,
    SigMembershipSchema,
    ReachOutSchema,
    ReachSchema,
    SigChangeSchema,
    SigDetailSchema,
    SigListSchema,
    SigSchema,
    SigSearchArgsSchema,
)

blp = Blueprint("api_sigs", __name__, description="Special interest groups")


@blp.route("/sigs")
class Sigs(MethodView):
    @public
    @blp.arguments(SigSearchArgsSchema, location="query")
    @blp.response(200, SigListSchema)
    @documents_errors(blp, 422)
    def get(self, args):
        filters, page, per_page = page_args(args)
        return services.with_member_counts(paginate(services.sig_search(**filters), page, per_page))

    @staff_only
    @blp.arguments(SigSchema)
    @blp.response(201, SigSchema)
    @documents_errors(blp, 400, 401, 403, 409, 422)
    def post(self, values):
        sig = services.create_sig(require_actor(), values)
        db.session.commit()
        return sig


@blp.route("/sigs/<int:sig_id>")
class OneSig(MethodView):
    @public
    @blp.response(200, SigDetailSchema)
    @documents_errors(blp, 404)
    def get(self, sig_id):
        sig = services.get_sig(sig_id)
        actor = api_actor()
        sig.upcoming_sessions = services.sessions_of(sig.id, actor, upcoming=True)
        sig.past_sessions = services.sessions_of(sig.id, actor, upcoming=False)
        return sig

    @staff_only
    @blp.arguments(SigChangeSchema)
    @blp.response(200, SigSchema)
    @documents_errors(blp, 400, 401, 403, 404, 409, 422)
    def patch(self, changes, sig_id):
        actor = require_actor()
        sig = services.update_sig(actor, services.get_sig(sig_id), changes)
        db.session.commit()
        return sig


@blp.route("/sigs/<int:sig_id>/members", methods=["POST"])
@blp.response(201, SigMembershipSchema)
@documents_errors(blp, 401, 404, 409)
def join(sig_id):
    membership = services.join(require_actor(), services.get_sig(sig_id))
    db.session.commit()
    return membership


@blp.route("/sigs/<int:sig_id>/members/me", methods=["DELETE"])
@blp.response(204)
@documents_errors(blp, 401, 404, 409)
def leave(sig_id):
    services.leave(require_actor(), services.get_sig(sig_id))
    db.session.commit()


@blp.route("/sigs/<int:sig_id>/leads/<int:member_id>")
class Leads(MethodView):
    @blp.response(200, SigSchema)
    @documents_errors(blp, 401, 403, 404, 422)
    def put(self, sig_id, member_id):
        actor = require_actor()
        sig = services.appoint_lead(actor, services.get_sig(sig_id), member_id)
        db.session.commit()
        return sig

    @blp.response(204)
    @documents_errors(blp, 401, 403, 404)
    def delete(self, sig_id, member_id):
        actor = require_actor()
        services.remove_lead(actor, services.get_sig(sig_id), member_id)
        db.session.commit()


@blp.route("/events/<int:event_id>/reach", methods=["PUT"])
@blp.arguments(ReachSchema)
@blp.response(200, ReachOutSchema)
@documents_errors(blp, 400, 401, 403, 404, 422)
def put_reach(counts, event_id):
    actor = require_actor()
    event = catalogue.get_managed_event(actor, event_id)
    reach = services.record_reach(actor, event, **counts)
    db.session.commit()
    return reach


@blp.route("/me/led-sigs")
@blp.response(200, LedSigListSchema)
@documents_errors(blp, 401)
def led_sigs():
    """The SIGs I lead, with each session's fill rate and attendance rate."""
    report = services.led_sigs(require_actor())
    return {"items": report, "total": len(report), "page": 1, "per_page": max(len(report), 1)}
