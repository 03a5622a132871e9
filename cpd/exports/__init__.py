"""Staff exports: pure row builders, streamed as CSV or XLSX by cpd.core.spreadsheets."""
