"""A short session through the Python client that openapi-python-client generates from
openapi/openapi.json, as an integrator would write it: log in, create items, page through
them, plan with MRP and wait for the run, and read refusals as typed problems.

Run by .ci/sdk with the generated package `erp_client` on PYTHONPATH and the server at
ERP_URL (administrator `admin`, password ERP_PASSWORD)."""

import datetime
from decimal import Decimal
import os
import time
import uuid

from erp_client import AuthenticatedClient, Client
from erp_client.api.auth import login
from erp_client.api.inventory import create_item, create_uom, list_items
from erp_client.api.mrp import create_demand, get_run, put_planning, run_records, start_run
from erp_client.models import (
    CreateDemandRequest,
    CreateItemRequest,
    CreateUomRequest,
    DemandKind,
    ItemPage,
    ItemResponse,
    LoginRequest,
    PlanningRequest,
    Problem,
    ProblemCode,
    RunResponse,
    RunStatus,
    StartRunRequest,
    TokenResponse,
)

url = os.environ["ERP_URL"]
tag = uuid.uuid4().hex[:6].upper()

# Log in: a typed token answer; a wrong password is a typed problem.
anonymous = Client(base_url=url, raise_on_unexpected_status=True)
refused = login.sync(client=anonymous, body=LoginRequest(username="admin", password="wrong-password"))
assert isinstance(refused, Problem) and refused.status == 401, refused
token = login.sync(client=anonymous, body=LoginRequest(username="admin", password=os.environ["ERP_PASSWORD"]))
assert isinstance(token, TokenResponse), token
api = AuthenticatedClient(base_url=url, token=token.access_token, raise_on_unexpected_status=True)

# A unit and five items.
unit = create_uom.sync(client=api, body=CreateUomRequest(code=f"ea{tag}".lower(), name="each"))
assert not isinstance(unit, Problem), unit
skus = [f"SDK-{tag}-{n}" for n in range(5)]
items = {}
for sku in skus:
    made = create_item.sync(client=api, body=CreateItemRequest(sku=sku, name=f"Part {sku}", base_uom_id=unit.id))
    assert isinstance(made, ItemResponse), made
    items[sku] = made

# Page through the items two at a time, following next_cursor to the end.
seen, cursor, pages = [], None, 0
while True:
    page = list_items.sync(client=api, limit=2, q=f"SDK-{tag}", **({"cursor": cursor} if cursor else {}))
    assert isinstance(page, ItemPage), page
    seen += [i.sku for i in page.items]
    pages += 1
    cursor = page.next_cursor
    if not cursor:
        break
assert sorted(seen) == skus and pages == 3, (seen, pages)

# Refusals are typed: a SKU taken (409) and an invalid field (422, named).
taken = create_item.sync(client=api, body=CreateItemRequest(sku=skus[0], name="again", base_uom_id=unit.id))
assert isinstance(taken, Problem) and taken.status == 409 and taken.request_id, taken
assert taken.code == ProblemCode.DUPLICATE_SKU, taken.code
blank = create_item.sync(client=api, body=CreateItemRequest(sku=f"SDK-{tag}-X", name=" ", base_uom_id=unit.id))
assert isinstance(blank, Problem) and blank.code == "validation_failed", blank
assert [e.field for e in blank.errors] == ["name"], blank.errors

# Plan: a bought part with a lead time, a demand, a run waited for, its record read.
part = items[skus[0]]
planned = put_planning.sync(part.id, client=api, body=PlanningRequest(lead_time_days=7))
assert not isinstance(planned, Problem), planned
start = datetime.date.today() + datetime.timedelta(days=1)
demand = create_demand.sync(
    client=api,
    body=CreateDemandRequest(item_id=part.id, kind=DemandKind.MPS, due_date=start + datetime.timedelta(days=21), quantity="40"),
)
assert not isinstance(demand, Problem), demand
run = start_run.sync(client=api, body=StartRunRequest(start_date=start, buckets=8))
assert isinstance(run, RunResponse), run
deadline = time.monotonic() + 60
while run.status == RunStatus.RUNNING and time.monotonic() < deadline:
    time.sleep(0.2)
    run = get_run.sync(run.id, client=api)
    assert isinstance(run, RunResponse), run
assert run.status == RunStatus.SUCCEEDED, run
records = run_records.sync(run.id, client=api, item_id=part.id)
assert not isinstance(records, Problem), records
(record,) = records.items
assert sum(Decimal(b.planned_order_releases) for b in record.buckets) == 40, record
print(f"python client: {len(skus)} items in {pages} pages, run {run.status} with {run.planned_orders} planned orders")
