"""The central list on the web (`kit serve`): server-rendered pages on the same store and
service layer as the command line, behind a login. Layout: app.py (the application, its
security headers and the login check), auth.py (cookies and CSRF), pages.py (the pages),
templates/ and static/ (every asset ships in the package: no CDN)."""
