"""End-to-end tests: the real app served on 127.0.0.1, driven by Debian's Chromium via Playwright.

Without Chromium on the machine these tests are skipped with the reason; CI installs it.
Each journey step saves a screenshot under tests/artifacts/ (git-ignored).
"""

import json
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from feedback import create_app
from feedback.extensions import db

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def pytest_collection_modifyitems(config, items):
    skip = pytest.mark.skip(reason="Chromium is not installed (apt-get install chromium): "
                                   "browser journeys skipped")
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace("\\", "/"):
            # The live server reads the database from its own threads and connections.
            item.add_marker(pytest.mark.committed)
            if not CHROMIUM:
                item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Playwright's own browser download does not work here: Debian's Chromium instead.
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"],
    }


@pytest.fixture
def browser_context_args(browser_context_args):
    # axe-core is injected as an inline script, which Écho's CSP rightly forbids.
    return {**browser_context_args, "bypass_csp": True, "locale": "fr-CA"}


@pytest.fixture
def served_database(migrated_database, app) -> str:
    """The URL of the database the live server serves: the test database, which `app` empties
    afterwards. A journey may serve another one."""
    return migrated_database[0]


@pytest.fixture
def live_app(served_database, tmp_path):
    """The app as in production (CSRF on), on the served database."""
    live = create_app(
        {"SQLALCHEMY_DATABASE_URI": served_database, "SECRET_KEY": "e2e-secret",
         "WTF_CSRF_ENABLED": True},
        instance_path=str(tmp_path / "live-instance"),
    )
    yield live
    with live.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def live_server(live_app):
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


class Journey:
    """Screenshots and accessibility checks along one journey."""

    def __init__(self, name: str, page):
        self.name, self.page, self.step = name, page, 0
        self.folder = ARTIFACTS / name
        self.folder.mkdir(parents=True, exist_ok=True)
        self.axe_results: dict[str, int] = {}

    def shot(self, label: str) -> Path:
        self.step += 1
        path = self.folder / f"{self.step:02d}-{label}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def check_accessibility(self, label: str) -> None:
        """axe-core on the page as it is now: zero WCAG 2.1 A/AA violations."""
        self.page.add_script_tag(path=str(AXE))
        result = self.page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
        violations = [
            {"id": v["id"], "impact": v["impact"], "help": v["help"],
             "targets": [node["target"] for node in v["nodes"]][:5]}
            for v in result["violations"]
        ]
        self.axe_results[label] = len(result["passes"])
        (self.folder / f"axe-{label}.json").write_text(json.dumps(violations, indent=2))
        assert violations == [], f"{label}: {json.dumps(violations, indent=2)}"


@pytest.fixture
def journey(request, page):
    return Journey(request.node.name, page)
