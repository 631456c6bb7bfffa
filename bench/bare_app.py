"""The HTTP stack's floor (issue 6): the benchmark's three calls answered by a bare Flask app.

`http_bench.py` and `server_bench.py --app bare` serve this with the same server settings and drive it with
the same client as the real API, so what the workers and the client spend per appeal here is what the
server, Flask and the client cost by themselves: no authentication, no database, no engine, no schema. No
implementation of the API on this stack can spend less per appeal; the benchmark adds the engine's
in-process ceiling to it to bound the appeals per second this machine could carry at best.

The answers have the real API's shape as far as the client reads it, and about its sizes (the real ones
are 600-1,000 bytes): a report answers an appeal, a task list holds a task for every step (so the client
finds the one it wants, whatever it asks), and a completion answers a closed appeal.
"""

from flask import Flask, jsonify, request

from bench.ceiling import STEPS

#: Filler that brings an answer to about the real API's size.
PADDING = "x" * 560

APPEAL = {
    **{"id": 1, "number": "20261102-000001", "status": "closed", "stage": "look_back", "padding": PADDING},
    "tasks": [{"appeal_id": 1}],  # where bench/closed_loop.lua reads the appeal's id
}
TASKS = [{"id": step, "step": step, "padding": PADDING[:60]} for step, *_ in STEPS]


def create_app() -> Flask:
    app = Flask(__name__)

    @app.post("/api/v1/appeals")
    def report():
        request.get_json()
        return jsonify(APPEAL), 201

    @app.get("/api/v1/tasks")
    def list_tasks():
        return jsonify(TASKS)

    @app.post("/api/v1/tasks/<task_id>/complete")
    def complete(task_id):
        request.get_json()
        return jsonify(APPEAL)

    return app
