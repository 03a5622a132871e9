"""The strategy's measures: each a GROUP BY query returning plain data, defined in one place."""
