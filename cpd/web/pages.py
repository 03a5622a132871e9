from functools import wraps

from flask_login import current_user, login_required

from cpd.core.errors import Forbidden


def staff_required(view):
    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_staff:
            raise Forbidden("This page is for the staff team.")
        return view(*args, **kwargs)

    return wrapped
