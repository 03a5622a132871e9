"""The landing page and the member's home, composed from the domains' services."""
