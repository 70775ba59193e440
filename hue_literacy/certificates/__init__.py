"""Certificates: eligibility from the framework, issuing with serials, PDFs and public checks."""
