"""`manage.py db_worker`: django-tasks-db's worker, which also heals stranded grade deliveries.

A worker killed in the middle of a send (kill -9, an out-of-memory kill, a lost machine) leaves
its delivery claimed and its task RUNNING for ever. Every worker therefore sweeps for such
deliveries every GRADES_SWEEP_SECONDS while it runs, one worker at a time, and queues them
again once their lease has ended: nobody has to run a command. The same loop submits timed
attempts whose learner never came back (settings.WORKER_SWEEPS lists what it runs). It extends
the library's command the way django.contrib.staticfiles extends `runserver`, so every way of
starting a worker (`make run`, a process manager, the README) gets the sweep.

`--threads N` (GRADE_WORKER_THREADS, 4) runs N of the library's claim-and-run loops in the one
process. A grade send mostly waits for the platform (a loaded LMS answers a score in 100 ms or
more), so one loop sends a few scores a second however idle the CPU; N loops send N at a time.
Each loop claims its task with the library's `SELECT ... FOR UPDATE SKIP LOCKED` and has its own
database connection, exactly as N processes would, at the memory of one.
"""

import logging
import signal
import threading
from types import FrameType

from django.conf import settings
from django.core.management.base import CommandError
from django.db import close_old_connections, connection
from django.utils.module_loading import import_string
from django_tasks_db.management.commands import db_worker

logger = logging.getLogger(__name__)


class Sweeper(threading.Thread):
    """Runs the sweeps (settings.WORKER_SWEEPS) every GRADES_SWEEP_SECONDS until the process
    exits."""

    def __init__(self) -> None:
        super().__init__(name="grade-delivery-sweeper", daemon=True)
        self.stopped = threading.Event()

    def run(self) -> None:
        sweeps = [import_string(path) for path in settings.WORKER_SWEEPS]
        # A first round at start: a worker started with the web processes has the platforms'
        # key sets fetched before the first launches come in.
        while True:
            for sweep in sweeps:
                try:
                    sweep()
                except Exception:
                    # A database hiccup must not end the sweeping: the next round tries again.
                    logger.exception("Worker sweep %s failed", sweep.__name__)
                finally:
                    close_old_connections()
            if self.stopped.wait(settings.GRADES_SWEEP_SECONDS):
                return


class PooledWorker(db_worker.Worker):
    """The library's worker loop, run by `threads` threads of one process: this thread and
    `threads - 1` helpers, each a `Worker` of its own with the worker id `<id>-<n>`."""

    def __init__(self, *, threads: int, **options) -> None:
        super().__init__(**options)
        self.forced = False
        self.helpers = [
            db_worker.Worker(**{**options, "worker_id": f"{self.worker_id}-{number}"})
            for number in range(1, threads)
        ]

    def run(self) -> None:
        threads = [
            # Daemons, so that a second signal ends the process without waiting for them.
            threading.Thread(target=_run_helper, args=(helper,), name=helper.worker_id, daemon=True)
            for helper in self.helpers
        ]
        for thread in threads:
            thread.start()
        try:
            super().run()
        finally:
            for helper in self.helpers:
                helper.running = False
            for thread in threads:
                if not self.forced:
                    thread.join()

    def shutdown(self, signum: int, frame: FrameType | None) -> None:
        if not self.running:  # a second signal: the library's answer, stop at once
            self.forced = True
            super().shutdown(signum, frame)
            return
        logger.warning(
            "Received %s - the worker's %d loops finish their current task and stop.",
            signal.strsignal(signum),
            1 + len(self.helpers),
        )
        self.running = False
        for helper in self.helpers:
            helper.running = False
        if not self.running_task:
            # Leaves a sleep at once; `run` then waits for the helpers' tasks to end.
            raise SystemExit(0)


def _run_helper(worker: db_worker.Worker) -> None:
    try:
        worker.run()
    except Exception:
        # The process goes on with its other loops; the log says which one ended.
        logger.exception("Worker loop %s stopped", worker.worker_id)
    finally:
        connection.close()


class Command(db_worker.Command):
    help = (
        "Run a background worker (grade delivery). It also queues again, by itself, the grade "
        "deliveries a dead worker left half-sent."
    )

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--threads",
            type=int,
            default=settings.GRADE_WORKER_THREADS,
            help="How many tasks this process runs at once (default: GRADE_WORKER_THREADS, "
            "%(default)s). Sends wait on the platform, so threads raise the sending rate.",
        )

    def handle(self, *args, threads: int, **options) -> None:  # type: ignore[override]
        if threads < 1:
            raise CommandError("--threads: at least 1")
        if not options["batch"]:
            # A batch run ends when the queue is empty; only long-running workers sweep.
            Sweeper().start()
        if threads == 1 or options["reload"]:
            super().handle(*args, **options)
            return
        # The library's handle, with our worker: it names its Worker class directly.
        self.configure_logging(options["verbosity"])
        queue_names = options["queue_name"].split(",")
        excluded = options["exclude_queues"].split(",") if options["exclude_queues"] else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = PooledWorker(
            threads=threads,
            queue_names=queue_names,
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=excluded,
        )
        worker.configure_signals()
        worker.run()
