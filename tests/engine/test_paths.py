"""The path an instance took, read off its task tree (engine/paths.py), on designers' constructs whose
trees differ from our two processes': branches that join, and a task a timer takes away."""

from appeals.services.timers import fire_due

from ..helpers import Trial, deploy_constructs


def path_of(runtime, instance_id):
    with runtime.uow() as uow:
        return {found.process_id: found for found in uow.engine.path(instance_id)}


def test_both_branches_into_a_parallel_join_are_passed_and_the_join_once(as_, runtime):
    deploy_constructs(as_, "construct_parallel.bpmn")
    trial = Trial(as_, "construct_parallel")
    trial.complete("legal_review", {"legal_ok": True})
    trial.complete("finance_review", {"finance_ok": True})

    found = path_of(runtime, trial.id)["construct_parallel"]
    assert found.elements["join"] == 1 and found.elements["decide"] == 1 and found.elements["end"] == 1
    assert found.flows["flow_legal_join"] == 1 and found.flows["flow_finance_join"] == 1
    assert found.flows["flow_join_decide"] == 1 and found.tasks == [] and found.timers == []


def test_a_task_an_interrupting_timer_took_away_was_passed_and_so_were_the_timers(as_, runtime, clock):
    deploy_constructs(as_, "construct_timer_boundary.bpmn")
    trial = Trial(as_, "construct_timer_boundary")
    waiting = path_of(runtime, trial.id)["construct_timer_boundary"]
    assert [t.step for t in waiting.tasks] == ["answer"] and waiting.elements["start"] == 1
    assert sorted(t.step for t in waiting.timers) == ["limit", "reminder"] and "answer" not in waiting.elements
    assert waiting.flows["flow_start_answer"] == 1  # the flow into the open task was passed

    clock.advance(days=1, seconds=1)
    fire_due(runtime)
    fired = path_of(runtime, trial.id)["construct_timer_boundary"]
    assert (fired.elements["answer"], fired.elements["reminder"], fired.elements["limit"]) == (1, 1, 1)
    assert (
        fired.elements["late"] == 1 and fired.flows["flow_limit_late"] == 1 and fired.flows["flow_reminder_chase"] == 1
    )
    assert [t.step for t in fired.tasks] == ["chase"] and fired.timers == [] and "on_time" not in fired.elements
