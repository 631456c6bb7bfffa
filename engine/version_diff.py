"""What changed between two versions of a process: its steps (SpiffWorkflow's SpecDiff), its forms and its
decision tables' rules. For designers, before they deploy or migrate."""

from lxml import etree
from SpiffWorkflow.bpmn.util.diff import SpecDiff

from .package import ParsedPackage


def compare(registry, old: ParsedPackage, new: ParsedPackage, process_id: str) -> dict:
    return {
        "steps": _steps(registry, old.specs[process_id], new.specs[process_id]),
        "forms": _files(old, new, ".json"),
        "decisions": _decisions(old, new),
    }


def _steps(registry, old_specs, new_specs) -> dict:
    old_spec, old_subs = old_specs
    new_spec, new_subs = new_specs
    added, removed, changed = [], [], {}
    pairs = [(old_spec, new_spec), *((old_subs.get(name), new_subs.get(name)) for name in {*old_subs, *new_subs})]
    for before, after in pairs:
        if before is None or after is None:
            side = after if before is None else before
            (added if before is None else removed).extend(_ids(side.task_specs.values()))
            continue
        diff = SpecDiff(registry, before, after)
        added += _ids(diff.added)
        removed += _ids(diff.removed)
        changed.update({spec.bpmn_id: sorted(attrs) for spec, attrs in diff.changed.items() if spec.bpmn_id})
    return {"added": sorted(added), "removed": sorted(removed), "changed": dict(sorted(changed.items()))}


def _ids(specs) -> list[str]:
    return [spec.bpmn_id for spec in specs if getattr(spec, "bpmn_id", None)]


def _files(old: ParsedPackage, new: ParsedPackage, suffix: str) -> dict:
    before = {n: c for n, c in old.files.items() if n.endswith(suffix)}
    after = {n: c for n, c in new.files.items() if n.endswith(suffix)}
    return {
        "added": sorted(after.keys() - before.keys()),
        "removed": sorted(before.keys() - after.keys()),
        "changed": sorted(n for n in before.keys() & after.keys() if before[n] != after[n]),
    }


def _decisions(old: ParsedPackage, new: ParsedPackage) -> dict:
    """Per decision that changed: the ids of its rules added, removed and changed, and for each of them
    the cells before and after (None on the side that lacks it), under the table's column labels."""
    before, after = _tables(old), _tables(new)
    result = {}
    for decision in sorted(before.keys() | after.keys()):
        was = before.get(decision, _EMPTY)["rules"]
        now = after.get(decision, _EMPTY)["rules"]
        change = {
            "rules_added": sorted(now.keys() - was.keys()),
            "rules_removed": sorted(was.keys() - now.keys()),
            "rules_changed": sorted(r for r in was.keys() & now.keys() if was[r] != now[r]),
        }
        if any(change.values()):
            columns = after.get(decision) or before[decision]
            touched = [rule for ids in change.values() for rule in ids]
            result[decision] = {
                **change,
                "inputs": columns["inputs"],
                "outputs": columns["outputs"],
                "rules": {rule: {"old": was.get(rule), "new": now.get(rule)} for rule in sorted(touched)},
            }
    return result


_EMPTY = {"inputs": [], "outputs": [], "rules": {}}


def _tables(package: ParsedPackage) -> dict:
    """decision id -> its column labels and, by rule id, the rule's input and output cells."""
    tables: dict = {}
    for name, content in package.files.items():
        if not name.endswith(".dmn"):
            continue
        root = etree.fromstring(content, etree.XMLParser(resolve_entities=False, no_network=True))
        for decision in root.iter("{*}decision"):
            tables[decision.get("id")] = {
                "inputs": [_label(column) for column in decision.iter("{*}input")],
                "outputs": [_label(column) for column in decision.iter("{*}output")],
                "rules": {
                    rule.get("id"): {
                        "inputs": [_cell(entry) for entry in rule.iter("{*}inputEntry")],
                        "outputs": [_cell(entry) for entry in rule.iter("{*}outputEntry")],
                    }
                    for rule in decision.iter("{*}rule")
                },
            }
    return tables


def _label(column) -> str:
    return column.get("label") or column.get("name") or column.get("id") or ""


def _cell(entry) -> str:
    return (entry.findtext("{*}text") or "").strip()
