"""The Ward table."""
from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from hue_literacy.extensions import db


class Ward(db.Model):
    """A ward (phường) or commune of Hue City; staff and learners belong to one."""

    __tablename__ = "wards"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    # Printed above the official's name on certificates, one line each, e.g.
    # "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH"; empty: the default "for the People's Committee".
    signer_title: Mapped[str | None] = mapped_column(String(200))

    def __repr__(self) -> str:
        return f"<Ward {self.code}>"
