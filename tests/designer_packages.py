"""Packages a designer might send, made from the bundled processes/ and forms/: for the workbench's API and
browser tests alike."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIVELIHOOD_RULE = '<outputEntry id="reply_livelihood_out0"><text>7</text></outputEntry>'
#: Three problems, each at its own element: (file, element) of each.
THREE_PROBLEMS = {
    ("appeal.bpmn", "flow_register_limit"),  # a typo'd targetRef
    ("escalation.bpmn", "supervise"),  # a lane that is no role
    ("escalation.bpmn", "next_level"),  # a script that imports
}


def bundled() -> dict[str, bytes]:
    """Every file of processes/ and forms/, sample data included, by name."""
    return {p.name: p.read_bytes() for folder in ("processes", "forms") for p in sorted((ROOT / folder).iterdir())}


def edited(files: dict[str, bytes], name: str, old: str, new: str) -> dict[str, bytes]:
    """`files` with `old` replaced by `new` in file `name` (which must hold it)."""
    text = files[name].decode()
    assert old in text, old
    return {**files, name: text.replace(old, new).encode()}


def with_three_problems() -> dict[str, bytes]:
    files = edited(
        bundled(),
        "appeal.bpmn",
        'sourceRef="register" targetRef="reply_limit"',
        'sourceRef="register" targetRef="reply_limt"',
    )
    files = edited(
        files,
        "escalation.bpmn",
        '<bpmn:lane id="lane_leader" name="leader">',
        '<bpmn:lane id="lane_leader" name="chief">',
    )
    return edited(files, "escalation.bpmn", 'level = {"grid": "village"', 'import os\nlevel = {"grid": "village"')


def with_feedback_renamed() -> dict[str, bytes]:
    """The feedback step renamed: a step no running appeal has reached, so they may move to this version."""
    return edited(bundled(), "appeal.bpmn", 'name="Feed back to the citizen"', 'name="Answer the citizen"')


def with_livelihood_in(days: int) -> dict[str, bytes]:
    """The feedback step renamed, the livelihood reply limit at `days` working days instead of 7 and the
    feedback form's title changed."""
    files = edited(
        with_feedback_renamed(), "time_limits.dmn", LIVELIHOOD_RULE, LIVELIHOOD_RULE.replace(">7<", f">{days}<")
    )
    return edited(files, "feedback.schema.json", '"title": "Message"', '"title": "Message to the citizen"')


def written(files: dict[str, bytes], folder: Path) -> list[Path]:
    """`files` written into `folder`, for a browser to pick."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (folder / name).write_bytes(content)
    return [folder / name for name in sorted(files)]
