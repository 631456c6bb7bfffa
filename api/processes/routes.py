"""Processes: designers deploy packages and start trial instances."""

from flask import g, request
from flask.views import MethodView

from appeals import processes as service
from engine import InvalidPackage
from engine.package import files_from_upload

from ..extensions import Blueprint, runtime
from ..instances.schemas import InstanceSchema, StartSchema
from .schemas import PACKAGE_UPLOAD, DeploymentSchema

blp = Blueprint("processes", __name__, description="Process packages and trial instances")


@blp.route("")
class ProcessViews(MethodView):
    @blp.doc(requestBody=PACKAGE_UPLOAD)
    @blp.response(201, DeploymentSchema)
    @blp.alt_response(200, schema=DeploymentSchema, description="Identical content: the versions deployed before")
    def post(self):
        """Deploy a package of BPMN, DMN and forms (multipart files or one zip)"""
        uploads = [(f.filename or "", f.read()) for _, f in request.files.items(multi=True)]
        if not uploads:
            raise InvalidPackage("send the package as multipart files (or one .zip)", fields={"files": "no files"})
        result = service.deploy(runtime().uow(), actor=g.actor, files=files_from_upload(uploads))
        return result, 201 if result["created"] else 200


@blp.route("/<string:process_id>/instances")
class ProcessInstanceViews(MethodView):
    @blp.arguments(StartSchema)
    @blp.response(201, InstanceSchema)
    def post(self, body, process_id):
        """Start a trial instance of the newest version of a process"""
        return service.start_trial(runtime().uow(), actor=g.actor, process_id=process_id, data=body["data"])
