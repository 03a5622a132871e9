"""Small query helpers every domain's searches share."""


def contains_pattern(text):
    """A LIKE pattern matching `text` anywhere, with the user's own % and _ taken literally.

    Use with `.like(pattern, escape="\\\\")`.
    """
    escaped = text.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
