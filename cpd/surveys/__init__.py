"""Member surveys: questions rated 1 to 5 or answered in words, once per member while open."""
