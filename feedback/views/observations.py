"""Super-users' field observations, with offline capture (issue 5)."""

from flask import Blueprint

bp = Blueprint("observations", __name__)
