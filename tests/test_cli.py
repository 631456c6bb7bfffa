"""The command line of the contract: units add, users add, timers run --once --now, processes deploy, demo."""

from .helpers import history_types, report, to_handling


def test_units_and_users_add_print_the_token_last(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["units", "add", "D9", "--name", "District 9", "--level", "district"]).exit_code == 0
    assert (
        runner.invoke(args=["units", "add", "T9", "--name", "Town 9", "--level", "town", "--parent", "D9"]).exit_code
        == 0
    )
    refused = runner.invoke(args=["units", "add", "G9", "--name", "Grid 9", "--level", "grid", "--parent", "D9"])
    assert refused.exit_code != 0 and "网格单位的上级须是村（社区）单位" in refused.output

    added = runner.invoke(args=["users", "add", "li", "--role", "town", "--unit", "T9"])
    assert added.exit_code == 0, added.output
    token = added.output.strip().splitlines()[-1]
    response = app.test_client().get("/api/v1/appeals", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert runner.invoke(args=["users", "add", "wang", "--role", "town"]).exit_code != 0  # a town user needs a unit


def test_timers_run_once_now_fires_the_reminder_then_escalates_by_itself(app, as_):
    appeal = report(as_)
    to_handling(
        as_, appeal["id"], unit="V01"
    )  # Monday 2 Nov, 09:00 Beijing; village: 3 working days, reminder 24 h before
    runner = app.test_cli_runner()

    reminded = runner.invoke(args=["timers", "run", "--once", "--now", "2026-11-05T10:00:00+08:00"])
    assert reminded.exit_code == 0, reminded.output
    assert reminded.output.strip() == "1"
    assert as_("village").get(f"/api/v1/appeals/{appeal['id']}").json["stage"] == "handle_village"

    escalated = runner.invoke(args=["timers", "run", "--once", "--now", "2026-11-06T10:00:00+08:00"])
    assert escalated.output.strip() == "1"
    assert as_("town").get(f"/api/v1/appeals/{appeal['id']}").json["stage"] == "handle_town"
    fired = [step for kind, step in history_types(as_, appeal["id"]) if kind == "timer_fired"]
    assert fired == ["remind_village", "overdue_village"]
    assert runner.invoke(args=["timers", "run", "--once", "--now", "2026-11-06T10:00:00+08:00"]).output.strip() == "0"
    assert runner.invoke(args=["timers", "run", "--once", "--now", "2026-11-05T10:00:00"]).exit_code != 0  # no zone


def test_processes_deploy_is_idempotent_and_demo_loads_a_city(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["processes", "deploy"])
    assert first.exit_code == 0 and first.output.startswith("已部署：appeal v1, escalation v1")
    assert runner.invoke(args=["processes", "deploy"]).output.startswith("此前已部署：appeal v1")
    demo = runner.invoke(args=["demo"])
    assert demo.exit_code == 0, demo.output
    assert len(demo.output.strip().splitlines()) == 11


def test_users_token_replaces_lost_tokens_so_a_second_demo_can_still_be_driven(app):
    """The README's walk-through runs after `demo`, whose tokens are shown only once: `users token` hands
    out new ones (the old ones stop working) and prints `NAME TOKEN`, one user a line."""
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo"]).output.split()
    old_intake = first[first.index("intake") + 3]
    assert "exists" in runner.invoke(args=["demo"]).output  # a second demo shows no token

    issued = runner.invoke(args=["users", "token", "intake", "station"])
    assert issued.exit_code == 0, issued.output
    lines = [line.split() for line in issued.output.strip().splitlines()]
    assert [name for name, _ in lines] == ["intake", "station"]
    client = app.test_client()
    for _, token in lines:
        assert client.get("/api/v1/appeals", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert client.get("/api/v1/appeals", headers={"Authorization": f"Bearer {old_intake}"}).status_code == 401

    unknown = runner.invoke(args=["users", "token", "nobody"])
    assert unknown.exit_code != 0 and "nobody" in unknown.output


def test_the_command_line_speaks_the_language_its_environment_names_and_chinese_by_default(app):
    """LC_ALL, then LC_MESSAGES, then LANG (the first set decides): zh... is Chinese, en... English, and
    anything else (C.UTF-8, as in the tests and most containers, or a language without texts) Chinese."""
    runner = app.test_cli_runner()
    chinese, english = "Error: 没有用户“nobody”", "Error: no user 'nobody'"
    for env, said in [
        ({}, chinese),
        ({"LANG": "en_US.UTF-8"}, english),
        ({"LANG": "zh_CN.UTF-8"}, chinese),
        ({"LANG": "fr_FR.UTF-8"}, chinese),
        ({"LANG": "en_US.UTF-8", "LC_ALL": "zh_CN.UTF-8"}, chinese),
        ({"LANG": "zh_CN.UTF-8", "LC_MESSAGES": "en_GB.UTF-8"}, english),
    ]:
        refused = runner.invoke(args=["users", "token", "nobody"], env=env)
        assert refused.exit_code == 1 and refused.output.splitlines()[0] == said, (env, refused.output)

    assert runner.invoke(args=["db", "upgrade"]).output == "数据库已是最新\n"
    assert runner.invoke(args=["db", "upgrade"], env={"LANG": "en_US.UTF-8"}).output == "database is up to date\n"
    refused = runner.invoke(args=["replay"])
    assert refused.exit_code == 2 and "请给出诉求编号 APPEAL 或 --all" in refused.output


def test_what_programs_read_is_the_same_in_either_language(app):
    """`demo`'s lines (bench/ reads a line's first and last word), `users token`'s NAME TOKEN lines and
    the token `users add` prints last: the operator's language changes only the words around them."""
    runner = app.test_cli_runner()
    demo = runner.invoke(args=["demo"], env={"LANG": "en_US.UTF-8"}).output.splitlines()
    names = [line.split()[0] for line in demo]
    assert len(demo) == 11 and all(len(line.split()[-1]) > 20 and line.isascii() for line in demo), demo
    again = runner.invoke(args=["demo"]).output.splitlines()  # in Chinese: the same lines, tokens not shown
    assert [line.split()[0] for line in again] == names and all(line.isascii() for line in again), again

    for env in ({}, {"LANG": "en_US.UTF-8"}):
        issued = runner.invoke(args=["users", "token", "intake", "station"], env=env).output.splitlines()
        assert [line.split()[0] for line in issued] == ["intake", "station"] and all(line.isascii() for line in issued)

    added = runner.invoke(args=["users", "add", "li", "--role", "town", "--unit", "T01"]).output.splitlines()
    assert added[0] == "已添加用户 li：乡镇（街道）办理人，单位 T01；令牌：" and added[-1].isascii()
    headers = {"Authorization": f"Bearer {added[-1]}"}
    assert app.test_client().get("/api/v1/appeals", headers=headers).status_code == 200
