"""Certificates: who has earned one, the record, the PDF and the public verification page."""
