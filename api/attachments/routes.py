"""Attachments: photos and files on an appeal's report or on a task (the proof of a fix)."""

import io

from flask import current_app, g, send_file
from flask.views import MethodView
from werkzeug.exceptions import RequestEntityTooLarge

from appeals.domain.media import ALLOWED, THUMBNAIL_TYPE, Limits, too_large
from appeals.services import attachments as service

from ..errors import handle_engine_error
from ..framework import Blueprint, runtime
from .schemas import AttachmentQueryArgsSchema, AttachmentSchema, UploadSchema, binary

blp = Blueprint("attachments", __name__, description="Photos and files on appeals", body_limit="ATTACHMENT_MAX_BYTES")


@blp.route("")
class AttachmentViews(MethodView):
    @blp.arguments(AttachmentQueryArgsSchema, location="query")
    @blp.response(200, AttachmentSchema(many=True))
    def get(self, args):
        """List an appeal's attachments you may see, oldest first"""
        return service.list_attachments(runtime().uow(), actor=g.actor, appeal_id=args["appeal"])

    @blp.arguments(UploadSchema, location="files")
    @blp.response(201, AttachmentSchema)
    def post(self, form):
        """Attach a file to an appeal's report (intake) or to its open task you act on"""
        upload = form["file"]
        return service.attach(
            runtime().uow(),
            actor=g.actor,
            appeal_id=form["appeal"],
            task_id=form.get("task_id"),
            file_name=upload.filename or "",
            data=upload.read(),
            limits=limits(),
        )


@blp.route("/<id:attachment_id>/content")
class AttachmentContentViews(MethodView):
    @blp.doc(responses={"200": binary("The file as uploaded", tuple(ALLOWED))})
    def get(self, attachment_id):
        """Download an attachment"""
        return _send(service.content(runtime().uow(), actor=g.actor, attachment_id=attachment_id))


@blp.route("/<id:attachment_id>/thumbnail")
class AttachmentThumbnailViews(MethodView):
    @blp.doc(responses={"200": binary("A small JPEG of an image attachment", (THUMBNAIL_TYPE,))})
    def get(self, attachment_id):
        """Show an image attachment's thumbnail"""
        return _send(service.content(runtime().uow(), actor=g.actor, attachment_id=attachment_id, thumbnail=True))


@blp.errorhandler(RequestEntityTooLarge)
def _too_large(error):
    """A body beyond the limit and its framing, refused by the form parser: the file is at fault."""
    return handle_engine_error(too_large(current_app.config["ATTACHMENT_MAX_BYTES"]))


def limits() -> Limits:
    return Limits(
        max_bytes=current_app.config["ATTACHMENT_MAX_BYTES"], max_pixels=current_app.config["ATTACHMENT_MAX_PIXELS"]
    )


def _send(found: dict):
    """The bytes, shown in the browser (the allowed types run no script) and cached by the reader alone."""
    response = send_file(
        io.BytesIO(found["data"]), mimetype=found["media_type"], download_name=found["file_name"], etag=found["sha256"]
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.cache_control.private = True
    return response
