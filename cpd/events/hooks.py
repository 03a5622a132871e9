"""What a higher domain hears from this one, registered when the app is made (cpd.create_app), so
no import runs upward: the payments domain hears of held seats that lapsed and of paid bookings
cancelled (to cancel or refund their orders), and, once a cancellation has committed, settles the
refunds it recorded (a call to the provider made outside the event's lock).

- holds_lapsed(bookings)
- bookings_cancelled(bookings, now, whole_event)
- cancellations_committed(event_id)

And a question this domain's pages ask, answered there: orders_of_bookings(booking ids) ->
{booking id: what its order shows on My bookings}."""
_LISTENERS = {"holds_lapsed": [], "bookings_cancelled": [], "cancellations_committed": []}


def listen(name, listener):
    if listener not in _LISTENERS[name]:
        _LISTENERS[name].append(listener)


def tell(name, *args):
    for listener in _LISTENERS[name]:
        listener(*args)


_ANSWERS = {}


def answer(question, function):
    _ANSWERS[question] = function


def ask(question, *args, default=None):
    function = _ANSWERS.get(question)
    return function(*args) if function else default
