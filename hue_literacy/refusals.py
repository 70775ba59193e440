"""The one error type for input refused by a rule, shared by every feature.

A service raises `InputRefused` (or a subclass with a reason code, such as the households'
`Refused`) when what a person typed or a phone sent breaks a rule; the page shows `message`
beside the field, the API answers it per item. Never a 500.
"""
from __future__ import annotations


class InputRefused(ValueError):
    """A value a person typed was refused; `message` says why in their language."""

    def __init__(self, message) -> None:
        super().__init__(str(message))
        self.message = message
