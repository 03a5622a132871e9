"""The body's engagement outside itself: with government, industry and education, and the organisations that support it."""
