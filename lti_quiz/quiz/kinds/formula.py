"""Formulas of calculated questions, as Moodle writes them: `{a} * sin({b}) + pi()`.

Evaluated safely: the formula is parsed as a Python expression tree and only numbers, the
wildcards' values, + - * / % ** and Moodle's functions (qtype_calculated's list) are allowed:
no names, attributes, subscripts or anything else. `{name}` wildcards are replaced by their
values before parsing.
"""

import ast
import math
import operator
import re
from collections.abc import Callable, Mapping
from decimal import Decimal

WILDCARD = re.compile(r"\{([a-zA-Z][a-zA-Z0-9_]*)\}")
# {=formula} inside a text: the value shown (calculated multichoice, question texts).
EMBEDDED = re.compile(r"\{=([^{}]*(?:\{[a-zA-Z][a-zA-Z0-9_]*\}[^{}]*)*)\}")


class FormulaError(ValueError):
    """A formula that cannot be evaluated, with the reason in words."""


def _log(x: float, base: float = math.e) -> float:
    return math.log(x, base)


FUNCTIONS: dict[str, Callable[..., float]] = {
    "abs": abs, "acos": math.acos, "acosh": math.acosh, "asin": math.asin,
    "asinh": math.asinh, "atan": math.atan, "atan2": math.atan2, "atanh": math.atanh,
    "ceil": math.ceil, "cos": math.cos, "cosh": math.cosh, "deg2rad": math.radians,
    "exp": math.exp, "expm1": math.expm1, "floor": math.floor, "fmod": math.fmod,
    "log": _log, "log10": math.log10, "log1p": math.log1p, "max": max, "min": min,
    "pi": lambda: math.pi, "pow": math.pow, "rad2deg": math.degrees, "round": round,
    "sin": math.sin, "sinh": math.sinh, "sqrt": math.sqrt, "tan": math.tan, "tanh": math.tanh,
}  # fmt: skip
_BINARY: dict[type, Callable[[float, float], float]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Mod: math.fmod,
    ast.Pow: math.pow,
}
_UNARY: dict[type, Callable[[float], float]] = {ast.UAdd: operator.pos, ast.USub: operator.neg}
MAX_FORMULA = 255


def wildcards(formula: str) -> list[str]:
    """The wildcard names a formula uses, in order of first use."""
    return list(dict.fromkeys(WILDCARD.findall(formula)))


def evaluate(formula: str, values: Mapping[str, Decimal | float | str]) -> float:
    """The formula's value with the wildcards replaced; FormulaError saying what is wrong."""
    if len(formula) > MAX_FORMULA:
        raise FormulaError(f"At most {MAX_FORMULA} characters.")

    def value_of(found: re.Match) -> str:
        name = found.group(1)
        if name not in values:
            raise FormulaError(f"{{{name}}} has no values.")
        return f"({float(values[name])!r})"

    if "^" in formula:
        # PHP and Moodle have no ^ power operator (it is XOR there): refuse, do not guess.
        raise FormulaError("Use ** or pow() for powers, not ^.")
    expression = WILDCARD.sub(value_of, formula)
    try:
        tree = ast.parse(expression.strip(), mode="eval")
    except SyntaxError:
        raise FormulaError(f"{formula!r} is not a formula.") from None
    try:
        result = _eval(tree.body)
    except (ArithmeticError, ValueError, TypeError) as exc:
        if isinstance(exc, FormulaError):
            raise
        raise FormulaError(f"{formula!r} cannot be computed with these values ({exc}).") from None
    if not math.isfinite(result):
        raise FormulaError(f"{formula!r} is not a finite number with these values.")
    return result


def check(formula: str, names: set[str]) -> str | None:
    """What is wrong with a formula using wildcards `names` (each tried as 1.5), or None."""
    missing = [name for name in wildcards(formula) if name not in names]
    if missing:
        return f"{{{missing[0]}}} has no dataset."
    try:
        evaluate(formula, dict.fromkeys(names, 1.5))
    except FormulaError as exc:
        # Only the formula's shape matters here: a value that divides by zero is fine.
        if "cannot be computed" in str(exc) or "not a finite" in str(exc):
            return None
        return str(exc)
    return None


def _eval(node: ast.AST) -> float:
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        if isinstance(node.value, bool):
            raise FormulaError("Only numbers, {wildcards}, + - * / % ** and Moodle's functions.")
        return float(node.value)
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        left, right = _eval(node.left), _eval(node.right)
        if isinstance(node.op, ast.Pow) and abs(right) > 1000:
            raise FormulaError("A power above 1000 is not allowed.")
        return _BINARY[type(node.op)](left, right)
    if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
        return _UNARY[type(node.op)](_eval(node.operand))
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in FUNCTIONS
        and not node.keywords
    ):
        return float(FUNCTIONS[node.func.id](*[_eval(arg) for arg in node.args]))
    raise FormulaError("Only numbers, {wildcards}, + - * / % ** and Moodle's functions.")
