"""The central list on the web (`kit serve`): server-rendered pages on the same store and
service layer as the command line, behind a login. Layout: app.py (the application, its
security headers and the login check), auth.py (cookies and CSRF), deps.py (what the routers
share), render.py (the templates), one router per area: login.py (log in and out, accounts),
lists.py (the central list and its exports), submission.py (a submission and what is done on
it), work.py (werkvoorraad, toezicht, audit), voorcontrole.py (the provider's self-check) and
api.py (/api); templates/ and static/ (every asset ships in the package: no CDN)."""
