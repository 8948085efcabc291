"""`manage.py db_worker`: django-tasks-db's worker, which also heals stranded grade deliveries.

A worker killed in the middle of a send (kill -9, an out-of-memory kill, a lost machine) leaves
its delivery claimed and its task RUNNING for ever. Every worker therefore sweeps for such
deliveries every GRADES_SWEEP_SECONDS while it runs, one worker at a time, and queues them
again once their lease has ended: nobody has to run a command. The same loop submits timed
attempts whose learner never came back (settings.WORKER_SWEEPS lists what it runs). It extends
the library's command the way django.contrib.staticfiles extends `runserver`, so every way of
starting a worker (`make run`, a process manager, the README) gets the sweep.
"""

import logging
import threading

from django.conf import settings
from django.db import close_old_connections
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


class Command(db_worker.Command):
    help = (
        "Run a background worker (grade delivery). It also queues again, by itself, the grade "
        "deliveries a dead worker left half-sent."
    )

    def handle(self, *args, **options) -> None:
        if not options.get("batch"):
            # A batch run ends when the queue is empty; only long-running workers sweep.
            Sweeper().start()
        super().handle(*args, **options)
