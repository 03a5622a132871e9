"""Credentials: certificates of attendance and registration, as PDFs and as Open Badges 3.0 VC-JWTs."""
