"""Professional registration: frameworks of competence, applications, referees, assessors, the professional review interview, the committee and appeals."""
