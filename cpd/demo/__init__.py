"""Demo data: a believable year of a professional body's learning life."""
