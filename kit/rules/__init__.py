"""Rule sets: YAML files under rules/<id>/, validated on load (loader.py), chosen by date, hashed.
The common rule header and scopes are in model.py; each kind's parameters in kit/kinds/."""
