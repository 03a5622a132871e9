"""Paid courses and conferences: discount codes, orders and their lines, payments believed only from
the provider (Stripe), invoices and credit notes numbered without gaps. Prices are the event's own
(cpd.events.models.EventPrice); a seat held while it is paid for is a booking (cpd.events.booking)."""
