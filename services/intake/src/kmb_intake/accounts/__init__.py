"""Local accounts, sign-in with throttling and API tokens of the intake service (which signs users in
for all five services)."""

from .model import MESSAGES, TokenIn, UserIn, localize_account_errors, role_choices
from .service import (
    CannotDeactivateSelf,
    IssuedToken,
    Outcome,
    SignIn,
    Throttle,
    UsernameTaken,
    create_user,
    issue_token,
    set_active,
    sign_in,
)

__all__ = [
    "MESSAGES",
    "CannotDeactivateSelf",
    "IssuedToken",
    "Outcome",
    "SignIn",
    "Throttle",
    "TokenIn",
    "UserIn",
    "UsernameTaken",
    "create_user",
    "issue_token",
    "localize_account_errors",
    "role_choices",
    "set_active",
    "sign_in",
]
