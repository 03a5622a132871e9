"""How a request meets the app: who is calling (cpd.web.current), who may use an operation, decided
before its input is read (public, authenticated, staff_only, access), commit_change for forms, and
safe redirects. Imports the ground floor only: the auth domain hands it the token owner and the
two-factor gate when the app is made (cpd.web.current.configure)."""
