"""The rooms of the code depend one way (docs/architecture.md): a test reads every import.

Rooms are the apps (`lessons`, and each package under `lti_quiz/`); `lib` is shared by all and
depends on none. An arrow not listed here, or any cycle, fails with the files that make it.
"""

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [ROOT / "lessons", ROOT / "lti_quiz"]
MAX_MODULE_LINES = 400

# Who may import whom. practice_lms is a separate platform: it talks to the tool over HTTP only.
ALLOWED = {
    "lib": set(),
    "lessons": {"lib"},
    "quiz": {"lib", "lessons"},
    "lti": {"lib"},
    "grades": {"lib", "lti"},
    "activity": {"lib", "lti", "quiz", "grades"},
    "api": {"lib", "lessons", "quiz"},
    "practice_lms": {"lib"},
}


def room_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] == "lessons":
        return "lessons"
    if (parts[0] == "lti_quiz" and len(parts) > 2) or parts[:2] == ["lti_quiz", "lib"]:
        return parts[1]
    return None  # the project package itself (settings, urls) or a library


def modules() -> list[tuple[Path, str]]:
    found = []
    for source in SOURCES:
        for path in source.rglob("*.py"):
            if "migrations" not in path.parts:
                found.append((path, ".".join(path.relative_to(ROOT).with_suffix("").parts)))
    return found


def imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def arrows() -> dict[tuple[str, str], set[str]]:
    found: dict[tuple[str, str], set[str]] = defaultdict(set)
    for path, module in modules():
        source = room_of(module)
        if source is None:
            continue
        for name in imported(path):
            target = room_of(name)
            if target and target != source:
                found[source, target].add(str(path.relative_to(ROOT)))
    return found


def cycles(edges: set[tuple[str, str]]) -> list[list[str]]:
    graph = defaultdict(set)
    for source, target in edges:
        graph[source].add(target)
    found = []

    def walk(node: str, path: list[str]) -> None:
        for target in sorted(graph[node]):
            if target == path[0]:
                found.append([*path, target])
            elif target not in path and target > path[0]:  # each cycle once, from its least room
                walk(target, [*path, target])

    for start in sorted(graph):
        walk(start, [start])
    return found


def test_every_room_is_known():
    rooms = {room_of(module) for _, module in modules()} - {None}
    assert rooms == set(ALLOWED)


def test_rooms_import_only_the_rooms_they_may():
    unexpected = {
        f"{source} -> {target}": sorted(files)
        for (source, target), files in arrows().items()
        if target not in ALLOWED[source]
    }
    assert unexpected == {}


def test_no_two_rooms_depend_on_each_other_even_through_others():
    assert cycles(set(arrows())) == []


def test_the_cycle_finder_finds_a_cycle_through_three_rooms():
    assert cycles({("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")}) == [["a", "b", "c", "a"]]


def test_no_module_is_longer_than_the_limit():
    long = {
        str(path.relative_to(ROOT)): lines
        for path, _ in modules()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}


# pylti1p3's own state: our subclasses keep their own references and use its public methods.
PYLTI_PRIVATE = {
    "_jwt",
    "_validated",
    "_restored",
    "_registration",
    "_tool_config",
    "_session_service",
    "_cookie_service",
    "_requests_session",
    "_get_request_param",
    "_get_jwt_body",
    "_get_id_token",
    "_get_cache",
    "_prepare_key",
    "_prepare_redirect_url",
    "_get_key",
    "_set_value",
    "_get_value",
    "_cookie_prefix",
    "_tool_private_key",
    "_tool_public_key",
}


def pylti_private_uses(source: str) -> list[str]:
    """Lines that read, write or override one of pylti1p3's private names."""
    found = []
    for node in ast.walk(ast.parse(source)):
        name = node.attr if isinstance(node, ast.Attribute) else getattr(node, "name", None)
        if isinstance(node, ast.Attribute | ast.FunctionDef) and name in PYLTI_PRIVATE:
            found.append(f"{node.lineno}: {name}")
    return found


def test_pylti1p3_is_used_through_its_public_methods_only():
    found = {
        str(path.relative_to(ROOT)): uses
        for path, _ in modules()
        if (uses := pylti_private_uses(path.read_text()))
    }
    assert found == {}


def test_the_private_use_finder_sees_a_read_and_an_override():
    source = (
        "class Launch:\n"
        "    def _prepare_redirect_url(self, url):\n"
        "        return self._jwt['body']\n"
    )
    assert pylti_private_uses(source) == ["2: _prepare_redirect_url", "3: _jwt"]


def imported_test_modules(source: str) -> list[str]:
    """The test modules `source` imports (`tests.<room>.test_<name>`)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        found += [name for name in names if name.rsplit(".", 1)[-1].startswith("test_")]
    return found


def test_no_test_module_imports_another():
    """Shared test helpers live in tests/support and tests/factories: a test module imported by
    another runs its tests' module setup twice and hides what is shared."""
    found = {
        str(path.relative_to(ROOT)): imported
        for path in (ROOT / "tests").rglob("test_*.py")
        if (imported := imported_test_modules(path.read_text()))
    }
    assert found == {}


def test_the_test_import_finder_sees_both_import_forms():
    source = "from tests.grades.test_worker import manage\nimport tests.lti.test_nrps\n"
    assert imported_test_modules(source) == ["tests.grades.test_worker", "tests.lti.test_nrps"]
