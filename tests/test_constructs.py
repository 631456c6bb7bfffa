"""The BPMN designers draw, beyond our two diagrams, runs through the designer API (issue 5, point 6).

One small model per construct in models/constructs/. Each test deploys it with POST /api/v1/processes,
starts a trial instance, drives it (completes tasks, delivers messages, moves the clock and sweeps the
timers) and checks the path taken and the outcome with GET /api/v1/instances/{id}.
"""

from datetime import datetime, timedelta

from appeals.services.timers import fire_due

from .helpers import Trial, deploy_constructs


def assert_replays(runtime, trial):
    """The instance's history replays to its stored state (the as_ fixture checks appeals only)."""
    with runtime.uow() as uow:
        verdict = uow.engine.replayer().verify(trial.id)
    assert verdict.consistent, verdict.as_dict()


def test_parallel_gateway_opens_both_branches_and_joins_them(as_):
    deploy_constructs(as_, "construct_parallel.bpmn")
    trial = Trial(as_, "construct_parallel")
    assert trial.steps() == ["finance_review", "legal_review"]

    after_one = trial.complete("legal_review", {"legal_ok": True})
    assert after_one["status"] == "running" and [t["step"] for t in after_one["tasks"]] == ["finance_review"]

    done = trial.complete("finance_review", {"finance_ok": False})
    assert done["status"] == "completed" and done["tasks"] == []
    assert done["data"] == {"legal_ok": True, "finance_ok": False, "approved": False}  # the join merged both


def test_inclusive_gateway_runs_each_branch_whose_condition_holds(as_):
    deploy_constructs(as_, "construct_inclusive.bpmn")

    small = Trial(as_, "construct_inclusive", {"amount": 50})
    assert small.steps() == ["clerk_check"]
    assert small.complete("clerk_check")["status"] == "completed"

    large = Trial(as_, "construct_inclusive", {"amount": 5000})
    assert large.steps() == ["clerk_check", "director_check"]
    assert large.complete("director_check", {"director": "agreed"})["status"] == "running"  # the join waits
    done = large.complete("clerk_check", {"clerk": "agreed"})
    assert done["status"] == "completed"
    assert done["data"] == {"amount": 5000, "clerk": "agreed", "director": "agreed"}

    none = Trial(as_, "construct_inclusive", {"amount": 0})  # no condition holds and there is no default flow
    assert none.started["status"] == "error" and none.started["error"].startswith("No conditions satisfied")


def test_call_activity_runs_the_child_process_with_the_parents_data(as_):
    deployed = deploy_constructs(as_, "construct_call_parent.bpmn", "construct_call_child.bpmn")
    assert sorted(v["process_id"] for v in deployed["versions"]) == ["construct_call_child", "construct_call_parent"]

    trial = Trial(as_, "construct_call_parent", {"amount": 20, "fee": 5})
    (task,) = trial.tasks()
    assert task["step"] == "confirm_quote" and task["instance_id"] == trial.id  # the child's task, on the parent

    done = trial.complete("confirm_quote", {"rate": 3})
    assert done["status"] == "completed"
    # amount went down to the child, rate was set there, quote came back up and the parent added its fee
    assert done["data"] == {"amount": 20, "fee": 5, "rate": 3, "quote": 60, "total": 65}


def test_message_with_another_instances_correlation_key_is_not_delivered(as_):
    deploy_constructs(as_, "construct_correlation.bpmn")
    trial = Trial(as_, "construct_correlation", {"order_id": "B-2"})
    assert trial.started["messages"] == ["reply"]

    refused = trial.message("reply", {"order_id": "A-1", "answer": "yes"})
    # Refused as a process failure, from SpiffWorkflow's "This process is not waiting for reply".
    assert refused.status_code == 422 and refused.json["error"]["code"] == "process_error", refused.json
    still = trial.read()
    assert still["status"] == "running" and still["messages"] == ["reply"]
    assert still["data"] == {"order_id": "B-2"}

    lacking = trial.message("reply", {"answer": "yes"})  # no order_id: the key cannot be computed (was a 500)
    assert lacking.status_code == 422 and "correlation" in lacking.json["error"]["message"], lacking.json
    assert trial.read()["messages"] == ["reply"]


def test_message_with_the_instances_correlation_key_is_delivered(as_):
    deploy_constructs(as_, "construct_correlation.bpmn")
    trial = Trial(as_, "construct_correlation", {"order_id": "A-1"})

    delivered = trial.message("reply", {"order_id": "A-1", "answer": "yes"})
    assert delivered.status_code == 200, delivered.json
    assert delivered.json["status"] == "completed"
    assert delivered.json["data"] == {"order_id": "A-1", "reply": {"order_id": "A-1", "answer": "yes"}}


def test_timer_start_event_holds_a_trial_instance_until_it_fires(as_, runtime, clock):
    deploy_constructs(as_, "construct_timer_start.bpmn")
    started = clock.now()
    trial = Trial(as_, "construct_timer_start")
    assert trial.started["status"] == "running" and trial.started["tasks"] == []
    assert trial.timers() == {"an_hour_later": started + timedelta(hours=1)}

    clock.advance(minutes=59)
    assert fire_due(runtime) == 0 and trial.steps() == []
    clock.advance(minutes=1)
    assert fire_due(runtime) == 1
    assert trial.steps() == ["acknowledge"] and trial.read()["timers"] == []
    assert trial.complete("acknowledge")["status"] == "completed"


def test_intermediate_timer_waits_from_when_it_is_reached(as_, runtime, clock):
    deploy_constructs(as_, "construct_timer_intermediate.bpmn")
    trial = Trial(as_, "construct_timer_intermediate", {"wait_for": "PT2H"})
    assert trial.started["timers"] == []

    reached = clock.advance(minutes=30)
    waiting = trial.complete("send_notice")
    assert waiting["status"] == "running" and waiting["tasks"] == []
    assert trial.timers() == {"wait": reached + timedelta(hours=2)}

    clock.advance(hours=1, minutes=59)
    assert fire_due(runtime) == 0
    clock.advance(minutes=1)
    assert fire_due(runtime) == 1
    assert trial.steps() == ["follow_up"]
    assert trial.complete("follow_up")["status"] == "completed"


def test_boundary_timers_answered_in_time_cancel_both(as_, clock):
    deploy_constructs(as_, "construct_timer_boundary.bpmn")
    started = clock.now()
    trial = Trial(as_, "construct_timer_boundary")
    assert trial.timers() == {"reminder": started + timedelta(hours=1), "limit": started + timedelta(days=1)}
    (task,) = trial.tasks()
    assert datetime.fromisoformat(task["due_at"]) == started + timedelta(days=1)  # the interrupting one

    done = trial.complete("answer")
    assert done["status"] == "completed" and done["timers"] == [] and done["data"] == {"outcome": "answered"}


def test_boundary_timers_non_interrupting_adds_a_task_and_interrupting_cancels_the_activity(as_, runtime, clock):
    deploy_constructs(as_, "construct_timer_boundary.bpmn")
    started = clock.now()
    trial = Trial(as_, "construct_timer_boundary")

    clock.advance(hours=1)
    assert fire_due(runtime) == 1
    assert trial.steps() == ["answer", "chase"]  # the reminder left the answer open
    assert trial.timers() == {"limit": started + timedelta(days=1)}

    clock.set(started + timedelta(days=1))
    assert fire_due(runtime) == 1
    late = trial.read()
    assert [t["step"] for t in late["tasks"]] == ["chase"]  # the limit took the answer away
    assert late["status"] == "running" and late["timers"] == []

    done = trial.complete("chase")
    assert done["status"] == "completed" and done["data"]["outcome"] == "timed_out"


def test_escalation_end_event_in_a_subprocess_is_caught_by_a_boundary_escalation_event(as_):
    deploy_constructs(as_, "construct_escalation.bpmn")

    handled = Trial(as_, "construct_escalation")
    assert handled.steps() == ["assess"]
    done = handled.complete("assess", {"too_hard": False})
    assert done["status"] == "completed" and done["tasks"] == []

    escalated = Trial(as_, "construct_escalation")
    caught = escalated.complete("assess", {"too_hard": True})
    assert caught["status"] == "running" and [t["step"] for t in caught["tasks"]] == ["senior_review"]
    done = escalated.complete("senior_review", {"ruling": "refund"})
    assert done["status"] == "completed" and done["data"]["ruling"] == "refund"


def test_parallel_multi_instance_user_task_opens_one_task_per_item(as_):
    deploy_constructs(as_, "construct_multi_instance_parallel.bpmn")
    trial = Trial(as_, "construct_multi_instance_parallel", {"reviewers": ["li", "wang", "zhao"]})
    assert sorted(t["context"]["reviewer"] for t in trial.tasks()) == ["li", "wang", "zhao"]

    for reviewer in ("zhao", "li"):
        assert trial.complete("sign_off", {"verdict": f"ok by {reviewer}"}, reviewer=reviewer)["status"] == "running"
    assert [t["context"]["reviewer"] for t in trial.tasks()] == ["wang"]
    done = trial.complete("sign_off", {"verdict": "no by wang"}, reviewer="wang")

    assert done["status"] == "completed"
    # SpiffWorkflow appends to a separate output list as the instances complete: completion order, not list order
    assert done["data"]["verdicts"] == ["ok by zhao", "ok by li", "no by wang"]


def test_sequential_multi_instance_user_task_opens_one_task_at_a_time(as_):
    deploy_constructs(as_, "construct_multi_instance_sequential.bpmn")
    trial = Trial(as_, "construct_multi_instance_sequential", {"reviewers": ["li", "wang", "zhao"]})

    for reviewer in ("li", "wang", "zhao"):
        assert [t["context"]["reviewer"] for t in trial.tasks()] == [reviewer]
        trial.complete("sign_off", {"verdict": f"ok by {reviewer}"})

    done = trial.read()
    assert done["status"] == "completed"
    assert done["data"]["verdicts"] == ["ok by li", "ok by wang", "ok by zhao"]


def test_multi_instance_user_tasks_run_when_taken_from_the_instance_view(as_):
    """The instance view's tasks can be completed as well as the task list's."""
    deploy_constructs(as_, "construct_multi_instance_parallel.bpmn", "construct_multi_instance_sequential.bpmn")
    designer = as_("designer")

    parallel = Trial(as_, "construct_multi_instance_parallel", {"reviewers": ["li", "wang", "zhao"]})
    tasks = parallel.started["tasks"]
    assert [t["step"] for t in tasks] == ["sign_off"] * 3
    for n, task in enumerate(reversed(tasks)):
        response = designer.post(f"/api/v1/tasks/{task['id']}/complete", json={"data": {"verdict": n}})
        assert response.status_code == 200, response.json
    assert response.json["status"] == "completed" and response.json["data"]["verdicts"] == [0, 1, 2]

    sequential = Trial(as_, "construct_multi_instance_sequential", {"reviewers": ["li", "wang", "zhao"]})
    seen = []
    while (current := sequential.read())["tasks"]:
        (task,) = current["tasks"]
        seen.append(current["data"]["reviewer"])  # the open instance's data
        response = designer.post(f"/api/v1/tasks/{task['id']}/complete", json={"data": {"verdict": len(seen)}})
        assert response.status_code == 200, response.json
    assert seen == ["li", "wang", "zhao"]
    assert current["status"] == "completed" and current["data"]["verdicts"] == [1, 2, 3]


def test_interrupting_message_event_subprocess_cancels_the_work(as_, runtime):
    deploy_constructs(as_, "construct_event_subprocess_message.bpmn")
    trial = Trial(as_, "construct_event_subprocess_message")
    assert trial.started["messages"] == ["withdraw"]  # no task waits: SpiffWorkflow starts it on the message

    withdrawn = trial.message("withdraw", {"reason": "settled"})
    assert withdrawn.status_code == 200, withdrawn.json
    assert withdrawn.json["status"] == "completed" and withdrawn.json["tasks"] == []
    assert withdrawn.json["data"]["outcome"] == "withdrawn: settled"
    assert withdrawn.json["messages"] == []
    assert_replays(runtime, trial)


def test_message_event_subprocess_is_not_started_after_the_work_is_done(as_, runtime):
    deploy_constructs(as_, "construct_event_subprocess_message.bpmn")
    trial = Trial(as_, "construct_event_subprocess_message")

    done = trial.complete("work")  # nothing waits for the message: the process ends with its main flow
    assert done["status"] == "completed" and done["messages"] == []
    assert trial.message("withdraw", {"reason": "late"}).status_code == 409
    assert_replays(runtime, trial)


def test_interrupting_timer_event_subprocess_cancels_the_work(as_, runtime, clock):
    deploy_constructs(as_, "construct_event_subprocess_timer_interrupting.bpmn")
    started = clock.now()
    trial = Trial(as_, "construct_event_subprocess_timer_interrupting")
    assert trial.steps() == ["work"] and trial.timers() == {"timed_out": started + timedelta(days=1)}

    clock.advance(days=1)
    assert fire_due(runtime) == 1
    assert trial.steps() == ["escalate_case"]  # the work was cancelled
    assert trial.read()["timers"] == []
    assert trial.complete("escalate_case")["status"] == "completed"
    assert_replays(runtime, trial)


def test_non_interrupting_timer_event_subprocess_runs_beside_the_work(as_, runtime, clock):
    deploy_constructs(as_, "construct_event_subprocess_timer_non_interrupting.bpmn")
    started = clock.now()
    trial = Trial(as_, "construct_event_subprocess_timer_non_interrupting")
    assert trial.timers() == {"timed_out": started + timedelta(hours=1)}

    clock.advance(hours=1)
    assert fire_due(runtime) == 1
    assert trial.steps() == ["chase", "work"]
    assert trial.complete("chase")["status"] == "running"
    assert trial.complete("work")["status"] == "completed"
    assert_replays(runtime, trial)


def test_event_based_gateway_waits_on_its_message_and_timers_and_takes_the_first(as_, runtime, clock):
    deploy_constructs(as_, "construct_event_gateway.bpmn")
    started = clock.now()
    answered = Trial(as_, "construct_event_gateway")
    waiting = answered.read()
    assert waiting["status"] == "running" and waiting["messages"] == ["reply"]
    assert answered.timers() == {"deadline": started + timedelta(days=2), "long_stop": started + timedelta(days=5)}

    replied = answered.message("reply", {"text": "fixed"})
    assert replied.status_code == 200, replied.json
    assert replied.json["status"] == "completed" and replied.json["data"]["outcome"] == "answered"
    assert replied.json["timers"] == [] and replied.json["messages"] == []
    assert answered.message("reply", {}).status_code == 409  # taken once, the other branches are gone

    timed_out = Trial(as_, "construct_event_gateway")
    clock.advance(days=2, seconds=1)
    assert fire_due(runtime) == 1
    done = timed_out.read()
    assert done["status"] == "completed" and done["data"]["outcome"] == "timed_out" and done["timers"] == []
    with runtime.uow().reading() as uow:
        fired = [e.step for e in uow.engine.history(timed_out.id) if e.type == "timer_fired"]
    assert fired == ["deadline"]
    clock.advance(days=5)
    assert fire_due(runtime) == 0  # the long stop went with the branch not taken
    assert_replays(runtime, answered)
    assert_replays(runtime, timed_out)


def test_a_catch_event_with_several_messages_waits_for_each_of_them(as_, runtime):
    deploy_constructs(as_, "construct_multiple_catch.bpmn")
    trial = Trial(as_, "construct_multiple_catch")
    assert trial.read()["messages"] == ["paid", "signed"]
    paid = trial.message("paid", {})
    assert paid.status_code == 200 and paid.json["status"] == "running" and paid.json["messages"] == ["signed"]
    signed = trial.message("signed", {})
    assert signed.status_code == 200 and signed.json["status"] == "completed", signed.json
    assert_replays(runtime, trial)


def test_a_start_with_data_the_process_lacks_is_a_process_error_not_a_500(as_):
    """A multi-instance task over a collection the start data lacks makes SpiffWorkflow raise a plain
    TypeError, not one of its own exceptions: the instance is kept with status error and the reason."""
    deploy_constructs(as_, "construct_multi_instance_parallel.bpmn")
    designer = as_("designer")
    started = designer.post("/api/v1/processes/construct_multi_instance_parallel/instances", json={"data": {}})
    assert started.status_code == 201, started.json
    assert started.json["status"] == "error" and started.json["error"].startswith("TypeError: ")
    assert designer.get(f"/api/v1/instances/{started.json['id']}").json["status"] == "error"
    assert designer.get("/api/v1/processes").status_code == 200
