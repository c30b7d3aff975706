"""Gunicorn settings for Écho, read from the working directory.

Usage: `gunicorn 'feedback:create_app()'`.
"""

# Load the app once in the master, then fork: workers share its memory and start warm.
preload_app = True


def on_starting(server):
    """Load the text pipeline's lexicons and models before forking, not on each worker's first
    request (the app factory stays free of start-up work)."""
    from feedback.analysis import analyse

    analyse("Le système démarre.")
