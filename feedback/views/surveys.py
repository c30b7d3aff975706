"""Campaigns and the public survey (issue 4)."""

from flask import Blueprint

bp = Blueprint("surveys", __name__)
