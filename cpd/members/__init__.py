"""Members of the body: profiles, grades, roles and professional registrations."""
