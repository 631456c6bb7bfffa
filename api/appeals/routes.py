"""Appeals: report one (step 1), list and read them, read their history."""

from flask import Response, g
from flask.views import MethodView

from appeals.services import appeals as service
from appeals.services import audit, claims, diagram, reminders, similar, supervision
from engine import worded_items

from ..framework import Blueprint, runtime
from ..language import language, worded
from .schemas import (
    AppealCreateSchema,
    AppealQueryArgsSchema,
    AppealSchema,
    AuditBundleSchema,
    ClaimCreateSchema,
    EventSchema,
    InstructionCreateSchema,
    PathArgsSchema,
    PathSchema,
    ReminderCreateSchema,
    ReminderSchema,
    ReporterSchema,
    SimilarAppealSchema,
    SimilarCallSchema,
    StateAtArgsSchema,
    StateAtSchema,
    UnmaskSchema,
    VerdictSchema,
)

blp = Blueprint("appeals", __name__, description="Citizens' appeals")


@blp.route("")
class AppealViews(MethodView):
    @blp.arguments(AppealQueryArgsSchema, location="query")
    @blp.response(200, AppealSchema(many=True))
    def get(self, args):
        """List the appeals you may read, newest first"""
        return service.list_appeals(runtime().uow(), actor=g.actor, filters=args)

    @blp.arguments(AppealCreateSchema)
    @blp.response(201, AppealSchema)
    def post(self, fields):
        """Report an appeal (step 1) and start its process"""
        return service.report(runtime().uow(), actor=g.actor, fields=fields)


@blp.route("/similar")
class SimilarAppealViews(MethodView):
    @blp.arguments(SimilarCallSchema)
    @blp.response(200, SimilarAppealSchema(many=True))
    def post(self, call):
        """Find the open appeals alike a call being taken (phone, address, title, map point): possible duplicates"""
        return similar.similar(runtime().uow(), actor=g.actor, **call)


@blp.route("/<id:appeal_id>")
class AppealByIdViews(MethodView):
    @blp.response(200, AppealSchema)
    def get(self, appeal_id):
        """Read one appeal with its open tasks"""
        return service.get(runtime().uow(), actor=g.actor, appeal_id=appeal_id)


@blp.route("/<id:appeal_id>/history")
class AppealHistoryViews(MethodView):
    @blp.no_query_args()
    @blp.response(200, EventSchema(many=True))
    def get(self, appeal_id):
        """Read an appeal's history, oldest event first"""
        return service.history(runtime().uow(), actor=g.actor, appeal_id=appeal_id)


@blp.route("/<id:appeal_id>/claim")
class AppealClaimViews(MethodView):
    @blp.arguments(ClaimCreateSchema)
    @blp.response(200, AppealSchema)
    def post(self, body, appeal_id):
        """Claim an appeal as a leader, to complete it within a limit; everyone sees who claimed it"""
        return claims.claim(runtime().uow(), actor=g.actor, appeal_id=appeal_id, until=body.get("until"))

    @blp.response(200, AppealSchema)
    def delete(self, appeal_id):
        """Release your claim of an appeal"""
        return claims.release(runtime().uow(), actor=g.actor, appeal_id=appeal_id)


@blp.route("/<id:appeal_id>/reminders")
class AppealReminderViews(MethodView):
    @blp.arguments(ReminderCreateSchema)
    @blp.response(201, ReminderSchema)
    def post(self, body, appeal_id):
        """Remind the unit holding the appeal's open task (催办), as a leader or station"""
        return reminders.send(runtime().uow(), actor=g.actor, appeal_id=appeal_id, **body)


@blp.route("/<id:appeal_id>/instructions")
class AppealInstructionViews(MethodView):
    @blp.arguments(InstructionCreateSchema)
    @blp.response(201, AppealSchema)
    def post(self, body, appeal_id):
        """Write a leader's instruction (批示) on an appeal"""
        return supervision.instruct(runtime().uow(), actor=g.actor, appeal_id=appeal_id, text=body["text"])


@blp.route("/<id:appeal_id>/replay")
class AppealReplayViews(MethodView):
    @blp.response(200, VerdictSchema)
    def get(self, appeal_id):
        """Replay an appeal's history and say whether it produces the stored state"""
        return worded_items([audit.verify(runtime().uow(), actor=g.actor, appeal_id=appeal_id)], worded)[0]


@blp.route("/<id:appeal_id>/state")
class AppealStateViews(MethodView):
    @blp.arguments(StateAtArgsSchema, location="query")
    @blp.response(200, StateAtSchema)
    def get(self, args, appeal_id):
        """Show the appeal, its open tasks and its process data just after event `at`"""
        return audit.state_at(runtime().uow(), actor=g.actor, appeal_id=appeal_id, seq=args["at"])


@blp.route("/<id:appeal_id>/path")
class AppealPathViews(MethodView):
    @blp.arguments(PathArgsSchema, location="query")
    @blp.response(200, PathSchema)
    def get(self, args, appeal_id):
        """Show the path the appeal's processes took, now or just after event `at`: steps and flows passed"""
        return diagram.path(runtime().uow(), actor=g.actor, appeal_id=appeal_id, seq=args.get("at"))


@blp.route("/<id:appeal_id>/diagrams/<string:process_id>/versions/<id:version>")
class AppealDiagramViews(MethodView):
    @blp.response(200, description="The BPMN file as deployed", content_type="application/xml")
    def get(self, appeal_id, process_id, version):
        """Download the BPMN diagram of a process version the appeal ran on"""
        content = diagram.diagram(
            runtime().uow(), actor=g.actor, appeal_id=appeal_id, process_id=process_id, version=version
        )
        return Response(content, mimetype="application/xml")


@blp.route("/<id:appeal_id>/audit-bundle")
class AppealBundleViews(MethodView):
    @blp.response(200, AuditBundleSchema)
    def get(self, appeal_id):
        """Export the history, its hashes and the process files as one document that verifies offline"""
        return audit.bundle(runtime().uow(), actor=g.actor, appeal_id=appeal_id, language=language())


@blp.route("/<id:appeal_id>/contact")
class AppealContactViews(MethodView):
    @blp.arguments(UnmaskSchema)
    @blp.response(200, ReporterSchema)
    def post(self, body, appeal_id):
        """Show the reporter's contact unmasked, for a stated reason that the history records"""
        return service.unmask_contact(runtime().uow(), actor=g.actor, appeal_id=appeal_id, reason=body["reason"])
