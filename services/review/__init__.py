"""Review service (staff, port 8002): turns each filing into a review task that staff claim,
send observations on and decide; every change is recorded in the task's history and
announced as a ``review.*`` event through the outbox."""
