"""Professional registration: frameworks of competence, applications, supporters, assessors and ratification."""
