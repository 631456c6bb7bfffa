"""What GeoReport v2 clients send: the query of GET requests and the form of POST requests.

"Optional" in the spec means a parameter sent empty is the same as one not sent, so blanks are dropped
before loading. Names are the spec's (`long`, `address_string`, `attribute[title]`); what is loaded
is shaped like an appeal report (reporter, location).
"""

import re
from datetime import datetime

import marshmallow as ma

from appeals.domain import periods
from appeals.services.open311 import LIMIT

from .. import validate
from ..framework import MAX_ID

#: The last page: its offset stays within the ids a listing may skip, as `offset` does in /api/v1 (a
#: page of 10^20 overflowed the database's OFFSET).
MAX_PAGE = MAX_ID // LIMIT
#: A name's parts, joined by a space into the reporter's name of at most 100 characters (ReporterSchema).
NAME_PART = validate.Length(max=49)

#: An offset whose "+" arrived as a space (an unencoded query string).
_PLUS = re.compile(r" (\d{2}:?\d{2})$")


class _Blanks(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE

    @ma.pre_load
    def _drop_blanks(self, data, **kwargs):
        return {key: value for key, value in data.items() if str(value).strip() != ""}


class _SpecQuery(_Blanks):
    """The query of a GET resource: what the spec lets any request carry (`jurisdiction_id`, and the
    `api_key` that clients send along) is accepted and ignored; any other parameter is refused, naming it."""

    class Meta:
        unknown = ma.RAISE

    error_messages = {"unknown": "unknown parameter"}
    jurisdiction_id = ma.fields.String(load_only=True)
    api_key = ma.fields.String(load_only=True)

    @ma.post_load
    def _drop_ignored(self, data, **kwargs):
        return {key: value for key, value in data.items() if key not in ("jurisdiction_id", "api_key")}


class ServicesQuerySchema(_SpecQuery):
    """The service list takes no filter of its own."""


class CommaList(ma.fields.Field):
    """`a,b,c` (the spec's "comma delimited") as a list."""

    def __init__(self, choices=None, **kwargs):
        super().__init__(**kwargs)
        self.choices = choices

    def _deserialize(self, value, attr, data, **kwargs):
        items = [item.strip() for item in str(value).split(",") if item.strip()]
        wrong = [item for item in items if self.choices and item not in self.choices]
        if wrong:
            raise ma.ValidationError(f"'{wrong[0]}' is not one of {', '.join(self.choices)}")
        return items


class W3DateTime(ma.fields.Field):
    """A w3 date-time with its zone (Z or ±HH:MM), e.g. 2010-01-01T00:00:00Z."""

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            moment = datetime.fromisoformat(_PLUS.sub(r"+\1", str(value).strip()))
        except ValueError as error:
            raise ma.ValidationError("not a w3 date-time, e.g. 2010-01-01T00:00:00Z") from error
        if moment.tzinfo is None:
            raise ma.ValidationError("give the time zone, e.g. 2010-01-01T00:00:00Z")
        problem = periods.year_problem(moment.year)
        if problem:  # in English, as every answer of Open311's (its clients are programs)
            raise ma.ValidationError(str(problem))
        return moment


class RequestsQuerySchema(_SpecQuery):
    service_request_id = CommaList(attribute="request_ids")
    service_code = CommaList(attribute="service_codes")
    status = CommaList(choices=("open", "closed"), attribute="statuses")
    start_date = W3DateTime(attribute="start")
    end_date = W3DateTime(attribute="end")
    page = ma.fields.Integer(load_default=1, validate=validate.Range(1, MAX_PAGE))
    page_size = ma.fields.Integer(load_default=LIMIT, validate=validate.Range(1, LIMIT))


class ServiceRequestFormSchema(_Blanks):
    service_code = ma.fields.String(required=True, error_messages={"required": "service_code was not provided"})
    lat = ma.fields.Float(validate=validate.Range(-90, 90))
    long = ma.fields.Float(validate=validate.Range(-180, 180))
    address_string = ma.fields.String(validate=validate.Length(max=400))
    address_id = ma.fields.String()
    first_name = ma.fields.String(validate=NAME_PART)
    last_name = ma.fields.String(validate=NAME_PART)
    phone = ma.fields.String(
        validate=validate.Regexp(r"^[0-9+\-\s*]{3,32}$", error="a phone number: digits, +, - and spaces")
    )
    description = ma.fields.String(
        required=True,
        validate=validate.Length(1, 4000),
        error_messages={"required": "description was not provided: say what the request is about"},
    )
    title = ma.fields.String(data_key="attribute[title]", validate=validate.Length(1, 200))

    @ma.validates_schema
    def _location(self, data, **kwargs):
        has_point = "lat" in data or "long" in data
        if has_point and not ("lat" in data and "long" in data):
            raise ma.ValidationError("lat and long must be sent together", field_name="long")
        if not has_point and "address_string" not in data:
            if "address_id" in data:
                raise ma.ValidationError(
                    "address_id is not supported here: send lat and long, or address_string", field_name="address_id"
                )
            raise ma.ValidationError(
                "a location is required: lat and long, or address_string", field_name="address_string"
            )

    @ma.post_load
    def _as_report(self, data, **kwargs):
        name = " ".join(part for part in (data.get("first_name"), data.get("last_name")) if part)
        return {
            "service_code": data["service_code"],
            "title": data.get("title"),
            "description": data["description"],
            "reporter": {"name": name or None, "phone": data.get("phone")},
            "location": {"address": data.get("address_string"), "lat": data.get("lat"), "lon": data.get("long")},
        }
