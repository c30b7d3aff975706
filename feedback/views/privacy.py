"""The privacy notice and respondents' follow-up contacts (issue 9)."""

from flask import Blueprint

bp = Blueprint("privacy", __name__)
