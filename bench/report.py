"""Turning the benchmark's timings into medians and ratios, and printing them as a table."""

import math
import statistics
from typing import Any

from bench.client import LoadRun


def p95(values: list[float]) -> float:
    """Nearest-rank 95th percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def summarize(runs: list[LoadRun]) -> dict[str, Any]:
    per_run: list[dict[str, Any]] = []
    for run in runs:
        names = sorted({name for sample in run.samples for name in sample})
        metrics: dict[str, dict[str, float]] = {}
        for name in names:
            values = [sample[name] for sample in run.samples if name in sample]
            metrics[name] = {
                "median_ms": statistics.median(values) * 1000,
                "p95_ms": p95(values) * 1000,
            }
        per_run.append(
            {
                "ok": len(run.samples),
                "errors": len(run.errors),
                "wall_s": run.wall_s,
                "per_s": len(run.samples) / run.wall_s if run.wall_s else 0.0,
                "server_cpu_ms": run.server_cpu_s * 1000 / len(run.samples)
                if run.server_cpu_s is not None and run.samples
                else None,
                "metrics": metrics,
            }
        )
    names = sorted({name for run in per_run for name in run["metrics"]})
    throughput = [run["per_s"] for run in per_run]
    errors = [error for run in runs for error in run.errors]
    return {
        "clients": runs[0].clients,
        "per_run": per_run[0]["ok"] + per_run[0]["errors"],
        "per_s": statistics.median(throughput),
        "per_s_min": min(throughput),
        "per_s_max": max(throughput),
        # gunicorn's CPU time per step (a launch: all five requests), whatever the waiting.
        "server_cpu_ms": _median([r["server_cpu_ms"] for r in per_run if r["server_cpu_ms"]]),
        "metrics": {
            name: {
                stat: _median(
                    [run["metrics"][name][stat] for run in per_run if name in run["metrics"]]
                )
                for stat in ("median_ms", "p95_ms")
            }
            for name in names
        },
        "errors": len(errors),
        "first_errors": errors[:3],
        "runs": per_run,
    }


def summarize_deliveries(runs: list[dict[str, Any]]) -> dict[str, Any]:
    for run in runs:
        delivered = run["delivered"]
        run["scores_per_s"] = delivered / run["worker_s"]
        busy_s = run["worker_s"] - run["startup_s"]
        run["scores_per_s_excluding_startup"] = delivered / busy_s if busy_s > 0 else None
        worker_cpu_s = run["worker_cpu_s"] - run["startup_cpu_s"]
        run["worker_cpu_ms_per_score"] = worker_cpu_s * 1000 / delivered if delivered else None
        run["lms_cpu_ms_per_score"] = (
            run["server_cpu_s"] * 1000 / delivered
            if delivered and run["server_cpu_s"] is not None
            else None
        )
    return {
        "submitted": statistics.median(run["submitted"] for run in runs),
        "delivered": statistics.median(run["delivered"] for run in runs),
        "worker_s": statistics.median(run["worker_s"] for run in runs),
        "startup_s": statistics.median(run["startup_s"] for run in runs),
        "scores_per_s": statistics.median(run["scores_per_s"] for run in runs),
        "scores_per_s_excluding_startup": _median(
            [
                r["scores_per_s_excluding_startup"]
                for r in runs
                if r["scores_per_s_excluding_startup"]
            ]
        ),
        "worker_cpu_ms_per_score": _median(
            [r["worker_cpu_ms_per_score"] for r in runs if r["worker_cpu_ms_per_score"]]
        ),
        "lms_cpu_ms_per_score": _median(
            [r["lms_cpu_ms_per_score"] for r in runs if r["lms_cpu_ms_per_score"]]
        ),
        "token_requests": [run["token_requests"] for run in runs],
        "score_calls": [run["score_calls"] for run in runs],
        "errors": sum(len(run["errors"]) + run["submitted"] - run["delivered"] for run in runs),
        "first_errors": [error for run in runs for error in run["errors"]][:3],
        "runs": runs,
    }


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    return numerator / denominator if numerator and denominator else None


def aggregate(raw: dict[str, Any]) -> dict[str, Any]:
    results: dict[str, Any] = {
        scenario: {str(clients): summarize(runs) for clients, runs in raw[scenario].items()}
        for scenario in ROWS
        if scenario in raw
    }
    for scenario in results:
        if scenario == "plain":
            continue
        for clients, summary in results[scenario].items():
            plain = results["plain"].get(clients)
            if plain is None:
                continue
            page = plain["metrics"].get("page", {}).get("median_ms")
            page_cpu = plain["metrics"].get("cpu:page", {}).get("median_ms")
            summary["vs_plain"] = {
                "throughput": _ratio(summary["per_s"], plain["per_s"]),
                "server_cpu": _ratio(summary["server_cpu_ms"], plain["server_cpu_ms"]),
                **{
                    name.replace("cpu:", "")
                    + ("_cpu" if name.startswith("cpu:") else "_latency"): _ratio(
                        values["median_ms"], page_cpu if name.startswith("cpu:") else page
                    )
                    for name, values in summary["metrics"].items()
                },
            }
    if "deliveries" in raw:
        results["deliveries"] = summarize_deliveries(raw["deliveries"])
    if "api_setup" in raw:
        results["api_setup"] = raw["api_setup"]
    return results


ROWS = {
    "plain": [("page", "Plain page GET /", True)],
    "launch": [
        ("chain", "LTI launch, whole chain (5 requests)", True),
        ("tool", "  tool's part: login + id_token POST", False),
        ("lms_launch", "  practice LMS launch → 302", False),
        ("tool_login", "  tool /lti/login/ → 302", False),
        ("lms_auth", "  practice LMS /auth/ → id_token form", False),
        ("tool_launch", "  tool /lti/launch/ POST → 303", False),
        ("activity", "  tool activity page", False),
    ],
    "quiz": [
        ("round", "Quiz: page, submit, result", True),
        ("quiz_page", "  quiz page GET (starts the attempt)", False),
        ("submit", "  answers POST → 302 (scores, queues)", False),
        ("result_page", "  result page GET", False),
    ],
    "api_list": [("list", "API: list 100 questions with choices", True)],
    "api_retrieve": [("retrieve", "API: retrieve a question (ETag)", True)],
    "api_patch": [("patch", "API: PATCH + If-Match (new version)", True)],
    "api_create": [("create", "API: create a question (POST)", True)],
    "api_export": [("export", "API: export the bank as JSON", True)],
    "api_import": [("import", "API: import that export, dry run", True)],
}


def _cell(value: float | None, width: int, digits: int = 1) -> str:
    return f"{value:>{width}.{digits}f}" if value is not None else " " * width


def _print_rows(by_clients: dict[str, Any], rows: list[tuple[str, str, bool]]) -> int:
    """One scenario's rows at each concurrency; returns its failed steps."""
    errors = 0
    for clients, summary in by_clients.items():
        errors += summary["errors"]
        ratios = summary.get("vs_plain", {})
        for name, label, is_total in rows:
            values = summary["metrics"].get(name)
            if values is None:
                continue
            count = f"{summary['per_run']:>6}" if is_total else " " * 6
            per_s = _cell(summary["per_s"], 7) if is_total else " " * 7
            per_s_ratio = _cell(ratios.get("throughput"), 6, 2) if is_total else " " * 6
            if is_total:
                cpu = _cell(summary["server_cpu_ms"], 7)
                cpu_ratio = _cell(ratios.get("server_cpu"), 6)
            else:
                cpu = _cell(summary["metrics"].get(f"cpu:{name}", {}).get("median_ms"), 7)
                cpu_ratio = _cell(ratios.get(f"{name}_cpu"), 6)
            print(
                f"{label:42} {clients:>7} {count} {per_s} {per_s_ratio} "
                f"{_cell(values['median_ms'], 7)} {_cell(values['p95_ms'], 7)} "
                f"{_cell(ratios.get(f'{name}_latency'), 7)} {cpu} {cpu_ratio}"
            )
    return errors


def _print_api_heading(setup: dict[str, Any]) -> None:
    print(
        f"Question-bank API, Token auth (editor group): bank of {setup['questions']} questions "
        f"POSTed by {setup['clients']} clients in {setup['setup_s']:.1f} s; "
        f"list of 100 {setup['list_kb']:.0f} KB, export {setup['export_kb']:.0f} KB"
    )


def _print_api_queries(queries: dict[str, int]) -> None:
    sizes = [name.removeprefix("list_") for name in queries if name.startswith("list_")]
    lists = "/".join(str(queries[f"list_{size}"]) for size in sizes)
    others = ", ".join(
        f"{name} {count}" for name, count in queries.items() if not name.startswith("list_")
    )
    print(f"  SQL queries per request: list of {'/'.join(sizes)} → {lists}; {others}")


def print_report(meta: dict[str, Any], results: dict[str, Any]) -> int:
    """Print the tables; returns how many steps failed."""
    plan = meta["plan"]
    print(
        f"\nlti-quiz benchmarks · {meta['database']} + {meta['cache']} · gunicorn "
        f"{meta['gunicorn']} · {meta['cpus']} CPUs shared with the client"
    )
    print(
        f"commit {meta['commit']} · Python {meta['python']} · Django {meta['django']} · "
        f"in force: DB_CONN_MAX_AGE={meta['db_conn_max_age']} DEBUG={int(meta['debug'])} "
        f"cache {meta['cache_backend']}"
    )
    print(
        f"medians of {plan['repeats']} runs (after a warm-up) · latency in ms · CPU ms: "
        "gunicorn's CPU time per step (per request with 1 client)\n"
    )
    _print_launch_headline(results)
    header = f"{'':42} {'clients':>7} {'n/run':>6} {'per s':>7} {'x page':>6}"
    print(f"{header} {'median':>7} {'p95':>7} {'x page':>7} {'CPU ms':>7} {'x page':>6}")
    errors = 0
    for scenario, rows in ROWS.items():
        if scenario.startswith("api_") or scenario not in results:
            continue
        errors += _print_rows(results[scenario], rows)
        print()
    if "api_setup" in results:
        _print_api_heading(results["api_setup"])
        for scenario, rows in ROWS.items():
            if scenario.startswith("api_") and scenario in results:
                errors += _print_rows(results[scenario], rows)
        _print_api_queries(results["api_setup"]["queries"])
        print()
    deliveries = results.get("deliveries")
    if deliveries is None:
        if errors:
            _print_errors(results, None)
        return errors
    errors += deliveries["errors"]
    print(
        f"Grade delivery: every one of {plan['deliveries']} students submits once, then one "
        "`db_worker --batch --no-startup-delay` sends all"
    )
    print(
        f"{'delivered':>10} {'worker s':>9} {'startup s':>10} {'scores/s':>9} "
        f"{'w/o startup':>12} {'CPU ms/score: worker':>21} {'LMS':>5}   "
        "token requests per run   score calls per run"
    )
    delivered = f"{deliveries['delivered']:.0f}/{deliveries['submitted']:.0f}"
    print(
        f"{delivered:>10} {_cell(deliveries['worker_s'], 9, 2)} "
        f"{_cell(deliveries['startup_s'], 10, 2)} {_cell(deliveries['scores_per_s'], 9)} "
        f"{_cell(deliveries['scores_per_s_excluding_startup'], 12)} "
        f"{_cell(deliveries['worker_cpu_ms_per_score'], 21)} "
        f"{_cell(deliveries['lms_cpu_ms_per_score'], 5)}   "
        f"{' '.join(map(str, deliveries['token_requests'])):23}  "
        f"{' '.join(map(str, deliveries['score_calls']))}"
    )
    if errors:
        _print_errors(results, deliveries)
    return errors


def _print_errors(results: dict[str, Any], deliveries: dict[str, Any] | None) -> None:
    """The first failed steps of each measurement."""
    print("\nFailed steps:")
    for scenario in ROWS:
        for clients, summary in results.get(scenario, {}).items():
            for error in summary["first_errors"]:
                print(f"  {scenario}, {clients} clients: {error}")
    for error in deliveries["first_errors"] if deliveries else []:
        print(f"  deliveries: {error}")


def _print_launch_headline(results: dict[str, Any]) -> None:
    """The launch's cost in one line: the tool's login + id_token POST against a plain page,
    in server CPU time with one client (the goal is at most 3 times the page)."""
    launch = results.get("launch", {}).get("1")
    page = results["plain"].get("1")
    if not launch or not page:
        return
    tool = launch["metrics"].get("cpu:tool", {}).get("median_ms")
    plain = page["metrics"].get("cpu:page", {}).get("median_ms")
    if tool and plain:
        print(
            f"Launch, the tool's part (login + id_token POST): {tool:.2f} ms server CPU, "
            f"{tool / plain:.1f}x a plain page ({plain:.2f} ms); goal at most 3x\n"
        )
