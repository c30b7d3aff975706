"""A signed-in user's own profile: password, language (issue 9), API tokens (issue 7)."""

from flask import Blueprint

bp = Blueprint("account", __name__)
