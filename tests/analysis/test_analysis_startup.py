import subprocess
import sys

SCRIPT = """
import sys
from feedback.analysis import analyse
analyse("Le système plante encore, c'est lent.")
print(sorted(name for name in ("scipy", "sklearn") if name in sys.modules))
"""


def test_analysing_imports_neither_scikit_learn_nor_scipy():
    """Only training needs them; scipy alone would add over a second to start-up."""
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.strip() == "[]"


def test_scipy_stays_importable_after_the_pipeline_started():
    script = SCRIPT + "import scipy.sparse, sklearn.svm\nprint('ok')\n"
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.strip().endswith("ok")
