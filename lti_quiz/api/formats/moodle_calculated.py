"""Moodle XML for calculated questions (`calculated`, `calculatedsimple`), calculated multiple
choice (`calculatedmulti`) and random short-answer matching (`randomsamatch`), as Moodle's
qformat_xml writes and reads them; moodle_xml.py calls these.

Calculated answers are formulas (`<text>{f}*{d}</text>`) with `<tolerance>`,
`<tolerancetype>` (1 relative, 2 nominal, 3 geometric), `<correctanswerformat>` (1 decimals,
2 significant figures) and `<correctanswerlength>`; units as numerical questions; the values
in `<dataset_definitions>`: per wildcard its `<name>`, `<status>` (private or shared),
`<distribution>`, `<minimum>`, `<maximum>`, `<decimals>` and `<dataset_items>`.
"""

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any
from xml.sax.saxutils import escape

from lti_quiz.api.formats.markup import Node
from lti_quiz.api.formats.moodle_numbers import numerical_lines, numerical_read
from lti_quiz.api.formats.report import QuestionReport

QTYPES = {
    "calculated": "calculated",
    "calculatedsimple": "calculated",
    "calculatedmulti": "calculated_choice",
    "randomsamatch": "random_matching",
}
_TOLERANCE_TYPES = {"1": "relative", "2": "nominal", "3": "geometric"}
_FORMATS = {"1": "decimals", "2": "significant"}
_OUTCOME = {
    "correctfeedback": "correct_feedback",
    "partiallycorrectfeedback": "partially_correct_feedback",
    "incorrectfeedback": "incorrect_feedback",
}
_DATASET_TEXTS = ("status", "distribution", "minimum", "maximum", "decimals")


def moodle_type(q: dict[str, Any]) -> str | None:
    """The Moodle qtype a question of ours is written as, or None when not one of these."""
    if q["kind"] == "calculated":
        return "calculatedsimple" if q["spec"].get("simple") else "calculated"
    return {"calculated_choice": "calculatedmulti", "random_matching": "randomsamatch"}.get(
        q["kind"]
    )


# Export ---------------------------------------------------------------------------------------


def lines(
    q: dict[str, Any],
    qtype: str,
    report: QuestionReport,
    *,
    text: Callable[[str], str],
    html: Callable[[str], str],
) -> list[str]:
    spec = q["spec"]
    combined = [
        f'    <{name} format="html">{html(q[field])}</{name}>' for name, field in _OUTCOME.items()
    ]
    if qtype == "randomsamatch":
        return [
            *combined,
            f"    <choose>{spec['choose']}</choose>",
            f"    <subcats>{1 if spec.get('subcategories') else 0}</subcats>",
        ]
    multi = qtype == "calculatedmulti"
    out = [
        "    <synchronize>0</synchronize>",
        f"    <single>{1 if multi and spec.get('single', True) else 0}</single>",
        "    <answernumbering>abc</answernumbering>",
        f"    <shuffleanswers>{1 if multi and spec.get('shuffle', True) else 0}</shuffleanswers>",
        *combined,
    ]
    for answer in spec["choices"] if multi else spec["answers"]:
        tolerance_type = {v: k for k, v in _TOLERANCE_TYPES.items()}[
            answer.get("tolerance_type", "relative")
        ]
        answer_format = {v: k for k, v in _FORMATS.items()}[answer.get("answer_format", "decimals")]
        out += [
            f'    <answer fraction="{_percent(answer.get("fraction", "0"))}">',
            f"      {text(answer['text'] if multi else answer['formula'])}",
            f"      <tolerance>{'0.01' if multi else answer.get('tolerance', '0.01')}</tolerance>",
            f"      <tolerancetype>{tolerance_type}</tolerancetype>",
            f"      <correctanswerformat>{answer_format}</correctanswerformat>",
            f"      <correctanswerlength>{answer.get('answer_length', 2)}</correctanswerlength>",
            f'      <feedback format="html">{html(answer.get("feedback", ""))}</feedback>',
            "    </answer>",
        ]
    if not multi:
        units = {**spec, "answers": []}
        out += numerical_lines({**q, "spec": units}, report, text=text, html=html)
    out += _datasets(spec["datasets"], "calculatedsimple" if spec.get("simple") else "calculated")
    return out


def _datasets(datasets: list[dict[str, Any]], qtype: str) -> list[str]:
    out = ["    <dataset_definitions>"]
    for dataset in datasets:
        values = dataset["values"]
        # Moodle's range for new values: by number ("9" < "10"), not by text.
        low, high = min(values, key=Decimal), max(values, key=Decimal)
        out += [
            "      <dataset_definition>",
            f"        <status><text>{escape(dataset.get('status', 'private'))}</text></status>",
            f"        <name><text>{escape(dataset['name'])}</text></name>",
            f"        <type>{qtype}</type>",
            f"        <distribution><text>{escape(dataset.get('distribution', 'uniform'))}"
            "</text></distribution>",
            f"        <minimum><text>{escape(str(dataset.get('minimum', low)))}</text></minimum>",
            f"        <maximum><text>{escape(str(dataset.get('maximum', high)))}</text></maximum>",
            f"        <decimals><text>{escape(str(dataset.get('decimals', 2)))}</text></decimals>",
            f"        <itemcount>{len(values)}</itemcount>",
            "        <dataset_items>",
        ]
        for number, value in enumerate(values, start=1):
            out += [
                "          <dataset_item>",
                f"            <number>{number}</number>",
                f"            <value>{escape(str(value))}</value>",
                "          </dataset_item>",
            ]
        out += [
            "        </dataset_items>",
            f"        <number_of_items>{len(values)}</number_of_items>",
            "      </dataset_definition>",
        ]
    return [*out, "    </dataset_definitions>"]


# Import ---------------------------------------------------------------------------------------


def read(
    node: Node, qtype: str, data: dict, report: QuestionReport, *, read_text: Callable[..., str]
) -> None:
    data["kind"] = QTYPES[qtype]
    if qtype == "randomsamatch":
        choose = node.child_text("choose")
        data["spec"] = {
            "choose": int(choose) if choose.isdigit() else choose,
            "subcategories": node.child_text("subcats") == "1",
        }
        return
    if node.child_text("synchronize") not in ("", "0"):
        report.warn(
            "spec",
            "changed",
            "Moodle shared the dataset items between questions of the category; here each "
            "question keeps its own copy of them.",
        )
    if qtype == "calculatedmulti":
        data["spec"] = {
            "choices": [_answer(a, report, read_text, multi=True) for a in node.elements("answer")],
            "single": node.child_text("single", default="1") not in ("0", "false"),
            "shuffle": node.child_text("shuffleanswers", default="1") not in ("0", "false"),
            "datasets": _read_datasets(node, report),
        }
        return
    numeric: dict[str, Any] = {}
    numerical_read(node, numeric, report, read_text=read_text)
    spec = {k: v for k, v in numeric["spec"].items() if k != "answers"}
    spec["answers"] = [_answer(a, report, read_text, multi=False) for a in node.elements("answer")]
    spec["datasets"] = _read_datasets(node, report)
    if qtype == "calculatedsimple":
        spec["simple"] = True
    data["spec"] = spec


def _answer(
    node: Node, report: QuestionReport, read_text: Callable[..., str], *, multi: bool
) -> dict[str, Any]:
    length = node.child_text("correctanswerlength", default="2")
    answer: dict[str, Any] = {
        "text" if multi else "formula": node.child_text("text").strip(),
        "fraction": _fraction(node.get("fraction", "0")),
        "feedback": read_text(node.find("feedback"), report, "spec"),
        "answer_length": int(length) if length.isdigit() else 2,
        "answer_format": _FORMATS.get(node.child_text("correctanswerformat"), "decimals"),
    }
    if not multi:
        answer["tolerance"] = node.child_text("tolerance") or "0"
        answer["tolerance_type"] = _TOLERANCE_TYPES.get(
            node.child_text("tolerancetype"), "relative"
        )
    return answer


def _read_datasets(node: Node, report: QuestionReport) -> list[dict[str, Any]]:
    definitions = node.find("dataset_definitions")
    datasets = []
    for definition in definitions.elements("dataset_definition") if definitions else []:
        items = definition.find("dataset_items")
        numbered = sorted(
            (
                (int(item.child_text("number") or 0), item.child_text("value").strip())
                for item in (items.elements("dataset_item") if items is not None else [])
            ),
        )
        dataset: dict[str, Any] = {
            "name": definition.child_text("name", "text"),
            "values": [value for _, value in numbered],
        }
        for name in _DATASET_TEXTS:
            raw = definition.child_text(name, "text")
            if raw:
                dataset[name] = int(raw) if name == "decimals" and raw.isdigit() else raw
        datasets.append(dataset)
    if not datasets:
        report.error("spec", "A calculated question without dataset definitions has no values.")
    return datasets


def _percent(fraction: Any) -> str:
    return f"{(Decimal(str(fraction)) * 100).normalize():f}"


def _fraction(percent: str) -> str:
    try:
        return f"{(Decimal(percent.strip() or '0') / 100).normalize():f}"
    except InvalidOperation:
        return percent
