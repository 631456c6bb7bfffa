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
    before, after = _rules(old), _rules(new)
    result = {}
    for decision in sorted(before.keys() | after.keys()):
        was, now = before.get(decision, {}), after.get(decision, {})
        change = {
            "rules_added": sorted(now.keys() - was.keys()),
            "rules_removed": sorted(was.keys() - now.keys()),
            "rules_changed": sorted(r for r in was.keys() & now.keys() if was[r] != now[r]),
        }
        if any(change.values()):
            result[decision] = change
    return result


def _rules(package: ParsedPackage) -> dict:
    """decision id -> rule id -> the rule's input and output cells."""
    rules: dict = {}
    for name, content in package.files.items():
        if not name.endswith(".dmn"):
            continue
        root = etree.fromstring(content, etree.XMLParser(resolve_entities=False, no_network=True))
        for decision in root.iter("{*}decision"):
            rules[decision.get("id")] = {
                rule.get("id"): [
                    (cell.findtext("{*}text") or "").strip() for cell in rule if cell.tag.endswith("Entry")
                ]
                for rule in decision.iter("{*}rule")
            }
    return rules
