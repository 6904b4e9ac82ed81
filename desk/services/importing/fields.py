"""Which column of another system's export holds which of our fields."""

from __future__ import annotations

import re
from dataclasses import dataclass

from desk.services.core.errors import ValidationError

IGNORE = "ignore"

MEMBER_FIELDS = ("name", "first_name", "last_name", "email", "phone", "external_id", "notes")
CREDIT_FIELDS = (
    "name",
    "first_name",
    "last_name",
    "email",
    "external_id",
    "appointment_type",
    "quantity",
    "expires_on",
    "value",
    "unit_price",
    "price",
    "purchased",
    "note",
)
APPOINTMENT_FIELDS = (
    "name",
    "first_name",
    "last_name",
    "email",
    "external_id",
    "appointment_type",
    "staff",
    "starts_at",
    "ends_at",
    "status",
    "credit_value",
    "credit_expires",
    "note",
)

# Header spellings seen in other gym systems' exports, compared without case,
# spaces or punctuation ("E-mail" == "email").
ALIASES: dict[str, tuple[str, ...]] = {
    "name": (
        "client",
        "clientname",
        "name",
        "member",
        "membername",
        "fullname",
        "customer",
        "customername",
        "athlete",
    ),
    "first_name": (
        "firstname",
        "first",
        "givenname",
        "forename",
        "customerfirstname",
        "clientfirstname",
    ),
    "last_name": (
        "lastname",
        "last",
        "surname",
        "familyname",
        "customerlastname",
        "clientlastname",
    ),
    "email": ("email", "emailaddress", "mail", "clientemail", "memberemail"),
    "phone": (
        "phone",
        "mobile",
        "cell",
        "phonenumber",
        "mobilephone",
        "cellphone",
        "telephone",
        "mobilenumber",
        "tel",
    ),
    "external_id": (
        "clientid",
        "memberid",
        "externalid",
        "id",
        "customerid",
        "athleteid",
        "personid",
    ),
    "appointment_type": (
        "appointmenttype",
        "service",
        "sessiontype",
        "pricingoption",
        "type",
        "servicename",
        "appointment",
        "package",
        "plan",
        "planname",
        "pass",
        "passname",
        "creditpack",
        "purchaseoption",
        "packagename",
        "pricingoptionname",
    ),
    "quantity": (
        "credits",
        "remaining",
        "sessionsremaining",
        "quantity",
        "sessions",
        "remainingsessions",
        "qty",
        "creditsremaining",
        "visitsremaining",
        "sessionsleft",
        "servicesremaining",
        "visitsleft",
        "creditsleft",
        "classesremaining",
    ),
    "expires_on": (
        "expiration",
        "expirationdate",
        "expires",
        "expiry",
        "expirydate",
        "expdate",
        "validuntil",
        "expireson",
        "enddate",
        "passexpires",
    ),
    "value": (
        "value",
        "remainingvalue",
        "valueremaining",
        "valueleft",
        "outstandingvalue",
        "liability",
        "balancevalue",
    ),
    "unit_price": (
        "unitprice",
        "priceper",
        "pricepercredit",
        "pricepersession",
        "pricepervisit",
        "sessionprice",
        "costpersession",
    ),
    "price": (
        "price",
        "amountpaid",
        "paid",
        "amount",
        "pricepaid",
        "totalpaid",
        "saleprice",
        "cost",
        "packageprice",
        "purchaseprice",
    ),
    "purchased": (
        "purchased",
        "count",
        "totalsessions",
        "sessionspurchased",
        "creditspurchased",
        "visitspurchased",
        "totalcredits",
        "totalvisits",
        "initialcount",
        "visitstotal",
        "servicesincluded",
        "sessionstotal",
        "creditstotal",
        "totalclasses",
    ),
    "staff": ("staff", "coach", "trainer", "instructor", "staffname", "provider", "teacher"),
    "starts_at": ("starts", "start", "startsat", "starttime", "startdate", "datetime", "date"),
    "ends_at": ("ends", "end", "endsat", "endtime", "enddate"),
    "status": ("status", "bookingstatus", "appointmentstatus"),
    "credit_value": ("creditvalue", "valueofcredit", "value"),
    "credit_expires": ("creditexpires", "creditexpiry", "expires", "expiry", "expiration"),
    "note": ("note", "notes", "comment", "comments"),
    "notes": ("note", "notes", "comment", "comments"),
}


def normalize(header: str) -> str:
    return re.sub(r"[\W_]+", "", header.casefold())


@dataclass(frozen=True)
class Mapping:
    """field -> column index, and what's still missing."""

    columns: dict[str, int]
    header: list[str]

    def column_name(self, field: str) -> str:
        return self.header[self.columns[field]]


def parse_overrides(pairs: list[str], allowed: tuple[str, ...]) -> dict[str, str]:
    """``["Client Name=name", "Visits=quantity"]`` -> normalized column -> field.

    Raises ValidationError for a malformed pair or an unknown field.
    """
    result: dict[str, str] = {}
    for pair in pairs:
        source, sep, field = pair.partition("=")
        field = field.strip()
        if not sep or not source.strip() or not field:
            raise ValidationError("map", f"--map takes SOURCE_COLUMN=FIELD, not {pair!r}.")
        if field not in allowed and field != IGNORE:
            raise ValidationError(
                "map",
                f"Unknown field {field!r} in --map; use one of {', '.join(allowed)} or ignore.",
            )
        result[normalize(source)] = field
    return result


def map_columns(header: list[str], allowed: tuple[str, ...], overrides: dict[str, str]) -> Mapping:
    """Match headers to fields: overrides first, then the aliases, first column wins.

    An override wins even over a column further left whose header is an alias of
    the same field ("Type" in a file where --map points "Membership" at the type).
    """
    columns: dict[str, int] = {}
    keys = [normalize(title) for title in header]
    for index, key in enumerate(keys):
        if key and key in overrides:
            field = overrides[key]
            if field != IGNORE and field not in columns:
                columns[field] = index
    for index, key in enumerate(keys):
        if not key or key in overrides:
            continue
        for field in allowed:
            if field not in columns and key in ALIASES.get(field, ()):
                columns[field] = index
                break
    columns = dict(sorted(columns.items(), key=lambda item: item[1]))  # the file's order
    unknown = [source for source in overrides if source not in set(keys)]
    if unknown:
        found = ", ".join(repr(h) for h in header)
        raise ValidationError(
            "map",
            f"--map names columns the file doesn't have: "
            f"{', '.join(unknown)}. Columns found: {found}.",
        )
    return Mapping(columns, header)


def require(mapping: Mapping, groups: list[tuple[str, ...]], what: str) -> None:
    """Each group needs at least one of its fields mapped; else a clear error."""
    missing = [
        " or ".join(group) for group in groups if not any(f in mapping.columns for f in group)
    ]
    if missing:
        found = ", ".join(repr(h) for h in mapping.header) or "none"
        raise ValidationError(
            "columns",
            f"Can't tell which columns hold the {what}: still needed: {'; '.join(missing)}. "
            f"Columns found: {found}. Rename the headers or say which column holds which field.",
        )
