"""Accounts: sign-in, sign-out, joining a cohort, passwords, and who may see what."""

from courseware.auth.access import login_manager, role_required
from courseware.auth.views import bp

__all__ = ["bp", "login_manager", "role_required"]
