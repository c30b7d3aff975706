"""`flask consumer`, slowed down so a test can kill it at a known point of an import.

ECHO_TEST_SLOW_STAGE: "checking" (after each analysed chunk) or "writing" (after each chunk
inserted, uncommitted); ECHO_TEST_MARKER: a file that gets a line at each of those points.
"""

import os
import sys
import time
from pathlib import Path

from flask.cli import main

from feedback.imports import running

STAGE = os.environ["ECHO_TEST_SLOW_STAGE"]
MARKER = Path(os.environ["ECHO_TEST_MARKER"])
NAME = {"checking": "_check_chunk", "writing": "_insert_chunk"}[STAGE]
real = getattr(running, NAME)


def slowed(*args, **kwargs):
    result = real(*args, **kwargs)
    with MARKER.open("a") as marker:
        marker.write(f"{STAGE}\n")
    time.sleep(3)
    return result


setattr(running, NAME, slowed)
sys.argv = ["flask", "--app", "feedback", "consumer"]
main()
