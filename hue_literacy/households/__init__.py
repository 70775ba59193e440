"""Households of a ward, their members and the ambassadors' visits ("Digital Families")."""
