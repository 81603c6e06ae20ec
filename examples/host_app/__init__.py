"""An example host site that mounts Academy (see app.py)."""
