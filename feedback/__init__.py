"""Écho: turns the voice of hospital staff into decisions during an EHR go-live."""

import os
from pathlib import Path

from flask import Flask

from feedback.config import load_config
from feedback.extensions import (
    babel,
    csrf,
    db,
    enable_sqlite_pragmas,
    limiter,
    login_manager,
    migrate,
    task_queue,
    theme_model,
)
from feedback.i18n import select_locale

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None, instance_path: str | None = None) -> Flask:
    """Build the app: configuration, extensions, blueprints, commands. Wiring only."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        # ECHO_INSTANCE_PATH keeps configuration and the SQLite file outside the code tree.
        instance_path=instance_path or os.environ.get("ECHO_INSTANCE_PATH"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    load_config(app, test_config)

    db.init_app(app)
    with app.app_context():
        enable_sqlite_pragmas(db.engine)
    migrate.init_app(app, db, directory=str(Path(__file__).with_name("migrations")))
    csrf.init_app(app)
    login_manager.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    theme_model.init_app(app)
    task_queue.init_app(app)

    from feedback import (
        cli,
        errors,
        security,
        tasks,  # noqa: F401 (declares the queue's tasks)
        templating,
        web,
    )
    from feedback.accounts import signin
    from feedback.accounts import views as account
    from feedback.admin import (  # noqa: F401 (their routes join admin's)
        adoption_views,
        people_views,
        sso_views,
        trail_views,
    )
    from feedback.admin import views as admin
    from feedback.api import views as api
    from feedback.home import views as home
    from feedback.imports import views as imports
    from feedback.insights import (
        digest_views,  # noqa: F401 (its routes join the dashboard's)
        export_views,  # noqa: F401 (its routes join the dashboard's)
        insight_views,  # noqa: F401 (its routes join the dashboard's)
        pulse_views,  # noqa: F401 (its routes join the dashboard's)
        rollups,
    )
    from feedback.insights import views as dashboard
    from feedback.issues import board_views  # noqa: F401 (its routes join the issues')
    from feedback.issues import views as issues
    from feedback.learnings import views as learnings
    from feedback.notifications import views as notifications
    from feedback.observations import views as observations
    from feedback.privacy import views as privacy
    from feedback.surveys import kiosk_views  # noqa: F401 (its routes join the surveys')
    from feedback.surveys import views as surveys

    for blueprint in (
        signin.bp, home.bp, surveys.bp, observations.bp, issues.bp, dashboard.bp, learnings.bp,
        imports.bp, api.bp, admin.bp, account.bp, privacy.bp, notifications.bp,
    ):
        app.register_blueprint(blueprint)
    errors.register_error_handlers(app)
    security.init_app(app)
    login_manager.user_loader(web.load_user)
    rollups.register()  # summary tables follow every write to feedback and responses
    templating.register(app)
    cli.register(app)
    return app
