"""Administration: establishments, people, themes, audit trail, incidents (issue 9)."""

from flask import Blueprint

bp = Blueprint("admin", __name__)
