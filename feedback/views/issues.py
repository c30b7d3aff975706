"""The command centre's issue tracking and KPIs (issue 5)."""

from flask import Blueprint

bp = Blueprint("issues", __name__)
