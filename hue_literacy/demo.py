"""Demo data for `make run` and screenshots: a ward, its staff, a few learners."""
from __future__ import annotations

from datetime import date

from hue_literacy.access import Role
from hue_literacy.accounts import services as accounts
from hue_literacy.wards.services import ward_by_code

DEMO_PASSWORD = "hue-demo-2026"  # noqa: S105 - printed on start, demo only
DEMO_STAFF = [
    (Role.OFFICIAL, "Trần Văn Minh", "0905 000 001", "PHUXUAN"),
    (Role.AMBASSADOR, "Lê Thị Hoa", "0905 000 002", "PHUXUAN"),
    (Role.AMBASSADOR, "Phạm Quốc Bảo", "0905 000 003", "THUANHOA"),
    (Role.ADMIN, "Nguyễn Thành Công", "0905 000 009", None),
]
DEMO_LEARNERS = [
    ("Nguyễn Thị Hạnh", "0912 345 678", "2580", "elderly", date(1956, 3, 14)),
    ("Hoàng Văn Đức", "0912 345 679", "1357", "trader", date(1971, 9, 2)),
    ("Võ Thị Mai", "0912 345 680", "2468", "farmer", date(1963, 12, 20)),
]


def seed_demo(hash_method: str) -> list[str]:
    """Create the demo accounts that do not exist yet; return a line per account to print."""
    lines = []
    home = ward_by_code("PHUXUAN")
    for role, name, phone, ward_code in DEMO_STAFF:
        ward = ward_by_code(ward_code) if ward_code else None
        if accounts.find_by_phone(phone.replace(" ", "")) is None:
            accounts.create_staff(
                role=role, full_name=name, raw_phone=phone, password=DEMO_PASSWORD,
                ward=ward, hash_method=hash_method,
            )
        where = f" ({ward.name})" if ward and ward is not home else ""
        lines.append(f"{role.value:<10} {name}{where}: phone {phone}, password {DEMO_PASSWORD}")
    ambassador = accounts.find_by_phone("0905000002")
    for name, phone, pin, group, born in DEMO_LEARNERS:
        if accounts.find_by_phone(phone.replace(" ", "")) is None:
            accounts.register_learner(
                full_name=name, raw_phone=phone, pin=pin, ward=home, group=group,
                consent=True, registered_by=ambassador, birth_date=born,
                hash_method=hash_method,
            )
        lines.append(f"{'learner':<10} {name}: phone {phone}, PIN {pin}")
    return lines
