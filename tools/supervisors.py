"""Supervisor accounts: Firebase Auth users carrying the `supervisor` custom claim.

  python -m tools.supervisors EMAIL PASSWORD     # create or reset one (emulator or real project)
"""
from __future__ import annotations

import sys

from firebase_admin import auth

from frontdesk_core.infra.firebase import app


def ensure_supervisor(email: str, password: str, display_name: str = "Supervisor") -> auth.UserRecord:
    """Create the user (or reset its password) and give it the supervisor claim."""
    app()
    try:
        user = auth.get_user_by_email(email)
        user = auth.update_user(user.uid, password=password, display_name=display_name)
    except auth.UserNotFoundError:
        user = auth.create_user(email=email, password=password, display_name=display_name,
                                email_verified=True)
    auth.set_custom_user_claims(user.uid, {"supervisor": True})
    return user


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    print(f"supervisor {ensure_supervisor(sys.argv[1], sys.argv[2]).uid}")
