"""Gunicorn settings for Écho, read from the working directory.

Usage: `gunicorn 'feedback:create_app()'`.
"""

# Load the app once in the master, then fork: workers share its memory and start warm.
preload_app = True


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
