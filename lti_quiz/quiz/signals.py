"""Signals the quiz room sends so other rooms can react without the quiz knowing them."""

from django.dispatch import Signal

# Sent with `attempt=` inside the transaction that changed a submitted attempt's score (an
# instructor's review). The grades room writes a new delivery row for it; receivers run in the
# same transaction, so the new score and its delivery commit together or not at all.
attempt_rescored = Signal()
