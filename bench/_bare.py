"""The baseline the submission benchmarks compare with: a bare Flask + SQLAlchemy endpoint.

GET serves a small form (with its CSRF token), POST validates it and inserts one row, then
redirects: what any Flask app does for a form, without Écho's survey, pipeline or rollups.
Served by gunicorn as `_bare:create_app()` (bench/ on the Python path), on the same database
engine as the run it is measured beside (its own table, created and dropped by the caller).
"""

import os

from flask import Flask, redirect, render_template_string
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import FlaskForm
from sqlalchemy import String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

TABLE = "bench_bare_answer"


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class BareAnswer(db.Model):
    __tablename__ = TABLE

    id: Mapped[int] = mapped_column(primary_key=True)
    role: Mapped[str] = mapped_column(String(20))
    score: Mapped[int]
    comment: Mapped[str] = mapped_column(String(1000), default="")

    def __repr__(self) -> str:
        return f"<BareAnswer {self.id}>"


class AnswerForm(FlaskForm):
    role = SelectField(choices=["nurse", "physician", "clerk", "professional"],
                       validators=[DataRequired()])
    score = IntegerField(validators=[DataRequired(), NumberRange(1, 5)])
    comment = StringField(validators=[Optional(), Length(max=1000)])


PAGE = """<form method="post">{{ form.csrf_token }}{{ form.role() }}{{ form.score() }}
{{ form.comment() }}<button>Send</button></form>"""


def create_app() -> Flask:
    app = Flask(__name__)
    app.config.update(SECRET_KEY=os.environ.get("FLASK_SECRET_KEY", "bare"),
                      SQLALCHEMY_DATABASE_URI=os.environ["BARE_DATABASE_URL"])
    db.init_app(app)

    @app.route("/bare", methods=["GET", "POST"])
    def answer():
        form = AnswerForm()
        if form.validate_on_submit():
            db.session.add(BareAnswer(role=form.role.data, score=form.score.data,
                                      comment=form.comment.data or ""))
            db.session.commit()
            return redirect("/bare")
        return render_template_string(PAGE, form=form), 400 if form.errors else 200

    return app
