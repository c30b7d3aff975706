"""Gunicorn settings for Écho, read from the working directory.

Usage: `gunicorn 'feedback:create_app()'`.

Pools (README, "Production serving"): a web host runs two masters, the proxy sending the public
survey, the kiosk and the observations' sync to one, everything else (dashboards, exports, admin)
to the other. ECHO_POOL names the one this master is: "public", "staff", or "all" (the default,
one master for everything). A slow summary then never holds the worker a submission needs, and
on a shared machine the staff pool yields the CPU to the public one (it runs niced).
"""

import os

# Load the app once in the master, then fork: workers share its memory and start warm.
preload_app = True

POOLS = ("all", "public", "staff")
pool = os.environ.get("ECHO_POOL", "all")
if pool not in POOLS:
    raise SystemExit(f"ECHO_POOL must be one of {', '.join(POOLS)}, not {pool!r}")

# Threads: a worker waiting on the database (a summary, an export's page) still answers its
# other requests. Pages are short; imports and exports run in the job queue's consumers.
worker_class = "gthread"
threads = 4

# The staff pool's niceness: when both pools want the CPU, the public one gets about nine
# tenths of it (a weight of 110 against 1024), so a submission waits for no dashboard.
STAFF_NICENESS = 10


def on_starting(server):
    """Before forking: refuse to run several workers that would each count the rate limits in
    their own memory, then load the text pipeline's lexicons and models once (not on each
    worker's first request; the app factory stays free of start-up work)."""
    from feedback.analysis import analyse
    from feedback.security import UnsharedRateLimits, check_shared_limits

    try:
        check_shared_limits(server.app.wsgi().config, server.cfg.workers)
    except UnsharedRateLimits as refusal:
        server.log.error(str(refusal))
        raise SystemExit(3) from None
    analyse("Le système démarre.")


def post_fork(server, worker):
    if pool == "staff":
        os.nice(STAFF_NICENESS)
