"""Questions a lower domain asks and a higher one answers, registered when the app is made
(cpd.create_app), so no import runs upward. Each question has one answerer; with none, `ask` gives
the default."""
_ANSWERS = {}


def answer(question, function):
    _ANSWERS[question] = function


def ask(question, *args, default=None):
    function = _ANSWERS.get(question)
    return function(*args) if function else default
