"""Processes: designers deploy packages and start trial instances."""

from flask import Response, g, request
from flask.views import MethodView

from appeals.domain.messages import MESSAGES
from appeals.services import processes as service
from appeals.services import versions
from engine import InvalidPackage, files_from_upload, worded_items

from ..framework import Blueprint, runtime
from ..instances.schemas import InstanceSchema, StartSchema
from ..language import worded
from .schemas import (
    PACKAGE_UPLOAD,
    DeploymentSchema,
    DiffArgsSchema,
    DiffSchema,
    EditSchema,
    MigrationCheckSchema,
    MigrationRequestSchema,
    MigrationSchema,
    PackageCheckSchema,
    ProcessSchema,
    TrialSchema,
    VersionDetailSchema,
)

blp = Blueprint("processes", __name__, description="Process packages and trial instances")


@blp.route("")
class ProcessViews(MethodView):
    @blp.no_query_args()
    @blp.response(200, ProcessSchema(many=True))
    def get(self):
        """List deployed processes with their newest version"""
        return versions.list_processes(runtime().uow(), actor=g.actor)

    @blp.doc(requestBody=PACKAGE_UPLOAD)
    @blp.response(201, DeploymentSchema)
    @blp.alt_response(200, schema=DeploymentSchema, description="Identical content: the versions deployed before")
    def post(self):
        """Deploy a package of BPMN, DMN and forms (multipart files or one zip)"""
        return _deployment(service.deploy(runtime().uow(), actor=g.actor, files=_uploaded_package()))


@blp.route("/check")
class PackageCheckViews(MethodView):
    @blp.doc(requestBody=PACKAGE_UPLOAD)
    @blp.response(200, PackageCheckSchema)
    def post(self):
        """Check a package without deploying it: every error and warning, each with file, element and line"""
        result = service.check(runtime().uow(), actor=g.actor, files=_uploaded_package())
        return {
            **result,
            "errors": worded_items(result["errors"], worded),
            "warnings": worded_items(result["warnings"], worded),
        }


def _uploaded_package() -> dict[str, bytes]:
    """The package's files from the request's multipart files (one zip, or the files themselves)."""
    uploads = [(f.filename or "", f.read()) for _, f in request.files.items(multi=True)]
    if not uploads:
        raise InvalidPackage(MESSAGES.text("package_as_files"), fields={"files": MESSAGES.text("field_no_files")})
    return files_from_upload(uploads)


@blp.route("/<string:process_id>/instances")
class ProcessInstanceViews(MethodView):
    @blp.no_query_args()
    @blp.response(200, TrialSchema(many=True))
    def get(self, process_id):
        """List the newest trial instances of a process (its appeals' instances are not listed)"""
        return service.list_trials(runtime().uow(), actor=g.actor, process_id=process_id)

    @blp.arguments(StartSchema)
    @blp.response(201, InstanceSchema)
    def post(self, body, process_id):
        """Start a trial instance of the newest version of a process"""
        return service.start_trial(runtime().uow(), actor=g.actor, process_id=process_id, data=body["data"])


@blp.route("/<string:process_id>/versions")
class ProcessVersionViews(MethodView):
    @blp.no_query_args()
    @blp.response(200, VersionDetailSchema(many=True))
    def get(self, process_id):
        """List a process's versions, oldest first, with their files"""
        return versions.list_versions(runtime().uow(), actor=g.actor, process_id=process_id)


@blp.route("/<string:process_id>/versions", endpoint="ProcessEditViews")
class ProcessEditViews(MethodView):
    @blp.arguments(EditSchema)
    @blp.response(201, DeploymentSchema)
    @blp.alt_response(200, schema=DeploymentSchema, description="Identical content: the versions deployed before")
    def post(self, body, process_id):
        """Deploy a version edited in the console: the newest version's package with some files replaced"""
        edit = {"base_version": body["base_version"], "files": body["files"]}
        return _deployment(service.deploy_edit(runtime().uow(), actor=g.actor, process_id=process_id, **edit))


@blp.route("/<string:process_id>/versions/<id:version>/files/<string:name>")
class ProcessFileViews(MethodView):
    @blp.response(200, description="The file as deployed", content_type="application/octet-stream")
    def get(self, process_id, version, name):
        """Download one file of a deployed version"""
        content = versions.read_file(runtime().uow(), actor=g.actor, process_id=process_id, version=version, name=name)
        kind = "application/json" if name.endswith(".json") else "application/xml"
        return Response(content, mimetype=kind)


@blp.route("/<string:process_id>/diff")
class ProcessDiffViews(MethodView):
    @blp.arguments(DiffArgsSchema, location="query")
    @blp.response(200, DiffSchema)
    def get(self, args, process_id):
        """Compare two versions: steps added, removed and changed; forms and decision rules changed"""
        return versions.compare(
            runtime().uow(), actor=g.actor, process_id=process_id, old=args["from_"], new=args["to"]
        )


@blp.route("/<string:process_id>/versions/<id:version>/migration")
class ProcessMigrationViews(MethodView):
    @blp.response(200, MigrationCheckSchema)
    def get(self, process_id, version):
        """Check which running instances of other versions can move to this version, and why not"""
        return versions.migration_check(runtime().uow(), actor=g.actor, process_id=process_id, version=version)

    @blp.arguments(MigrationRequestSchema)
    @blp.response(200, MigrationSchema)
    def post(self, body, process_id, version):
        """Move running instances to this version, keeping their deadlines (all that can, if none are named)"""
        return versions.migrate(
            runtime(), actor=g.actor, process_id=process_id, version=version, instance_ids=body.get("instances")
        )


def _deployment(result: dict):
    """A deployment's answer: 201 when it made new versions, 200 when the same content was there already."""
    return {**result, "warnings": worded_items(result["warnings"], worded)}, 201 if result["created"] else 200
