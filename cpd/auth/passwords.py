"""Passwords: Argon2id hashing, and the policy a new password must meet.

The policy follows NIST SP 800-63B §5.1.1.2 (memorized secrets): at least 12 characters here
(NIST's floor is 8), no composition rules, every printable character and space allowed, and a new
password refused when it is a commonly used one, a run or repeat of characters (NIST's
"sequential or repetitive characters"), or built from the account's own email.
The list of common passwords is zxcvbn's (30,000 entries from public password leaks).
"""
import re
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

MIN_LENGTH = 12
MAX_LENGTH = 128
# How short a piece of the email may be before it is too common to forbid ("jo" in "joanna").
MIN_EMAIL_PART = 3


def _hasher():
    config = current_app.config
    return PasswordHasher(
        time_cost=config["ARGON2_TIME_COST"],
        memory_cost=config["ARGON2_MEMORY_COST"],
        parallelism=config["ARGON2_PARALLELISM"],
    )


def hash_password(password):
    return _hasher().hash(password)


def verify_password(password_hash, password):
    if not password_hash:
        # Spend the same work as a real check, so a missing account is not told by timing.
        _hasher().hash(password)
        return False
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash):
    return _hasher().check_needs_rehash(password_hash)


@lru_cache(maxsize=1)
def common_passwords():
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(word.lower() for word in FREQUENCY_LISTS["passwords"])


def _is_common(password):
    folded = password.lower()
    # "password1234" or "letmein!!" are the common word with what people add to pass a length rule.
    stem = re.sub(r"[\d\W_]+$", "", folded)
    return folded in common_passwords() or (stem != folded and stem in common_passwords())


def _is_run_or_repeat(password):
    """'aaaaaaaaaaaa', '123456789012', 'abcabcabcabc': most neighbours repeat or count up or down."""
    steps = [ord(b) - ord(a) for a, b in zip(password, password[1:])]
    plain = sum(1 for step in steps if step in (-1, 0, 1))
    return plain >= 0.75 * len(steps) or len(set(password)) <= 3


def password_problem(password, email=None):
    """Why `password` may not be used as a new password, in words for the person; None if it may."""
    if not isinstance(password, str) or len(password) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters (a few words together are easy to remember)."
    if len(password) > MAX_LENGTH:
        return f"Use at most {MAX_LENGTH} characters."
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in password):
        return "Contains a character that cannot be used (a control character)."
    if _is_common(password) or _is_run_or_repeat(password):
        return "This is one of the most commonly used passwords, or a run of keys: choose another."
    local_part = (email or "").split("@", 1)[0].lower()
    if len(local_part) >= MIN_EMAIL_PART and local_part in password.lower():
        return "Do not build the password from your email address."
    return None
