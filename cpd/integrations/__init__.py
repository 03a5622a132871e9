"""The body's other systems: webhooks to them (and, to come, single sign-on and learning recorded elsewhere)."""
