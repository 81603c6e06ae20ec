"""IMS Common Cartridge export: a course from the repository as one package per language.

Moodle and Canvas import these packages, so an organisation that already runs one of them can
teach Academy's courses there. Everything is read from the course files, never the database.
"""
