"""Reads the server's PDFs with tools that did not write them: qpdf checks the file's
structure, pdffonts that every font is embedded, subset and mapped to Unicode, and poppler's
pdftotext that the text a reader extracts holds the document's number, the other side's
name, every line's amount and the total exactly as the JSON gives them.

Against a server with the demo data (`erp demo`): a sales order to a customer with an Uzbek
and Cyrillic name, delivered and invoiced, and the demo's open purchase order.

Usage: ERP_URL=http://127.0.0.1:18093 ERP_PASSWORD=... python3 tests/print/pdfs.py"""

import datetime
import json
import os
import subprocess
import sys
import tempfile
import urllib.request

base = os.environ["ERP_URL"] + "/api/v1"
token = None


def call(method, path, body=None, raw=False):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method)
    req.add_header("content-type", "application/json")
    if token:
        req.add_header("authorization", f"Bearer {token}")
    with urllib.request.urlopen(req) as r:
        payload = r.read()
        if raw:
            return r.headers["content-type"], payload
        return json.loads(payload) if payload else None


def check(name, path, must_show):
    content_type, pdf = call("GET", path, raw=True)
    assert content_type == "application/pdf", f"{name}: {content_type}"
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        qpdf = subprocess.run(["qpdf", "--check", f.name], capture_output=True, text=True)
        assert qpdf.returncode == 0, f"{name}: qpdf --check:\n{qpdf.stdout}{qpdf.stderr}"
        fonts = subprocess.run(["pdffonts", f.name], capture_output=True, text=True, check=True)
        rows = fonts.stdout.splitlines()[2:]
        assert rows, f"{name}: no fonts"
        for row in rows:
            emb, sub, uni = row.split()[-5:-2]
            assert (emb, sub, uni) == ("yes", "yes", "yes"), f"{name}: font not embedded as a Unicode subset: {row}"
        text = subprocess.run(["pdftotext", "-layout", f.name, "-"], capture_output=True, text=True, check=True).stdout
    missing = [s for s in must_show if s not in text]
    assert not missing, f"{name}: {missing} not in the text poppler reads:\n{text}"
    print(f"{name}: {len(pdf)} bytes, {len(rows)} fonts embedded, {len(must_show)} values read back")


token = call("POST", "/auth/login", {"username": "admin", "password": os.environ["ERP_PASSWORD"]})["access_token"]
call("POST", "/finance/setup", {"fiscal_year": datetime.date.today().year})
item = call("GET", "/inventory/items?sku=PRT-0002")["items"][0]
warehouse = call("GET", "/inventory/warehouses")["items"][0]
name = "Oʻzbekiston Savdo — Ўзбекистон"
customer = call("POST", "/crm/customers", {"partner": {"kind": "organisation", "name": name,
    "addresses": [{"purpose": "billing", "line1": "Amir Temur koʻchasi 15", "city": "Toshkent"}]}})
order = call("POST", "/crm/sales-orders", {"customer_id": customer["id"], "warehouse_id": warehouse["id"],
    "lines": [{"item_id": item["id"], "quantity": "3"}, {"item_id": item["id"], "quantity": "1.5", "discount_percent": "12.5"}]})
check("sales order", f"/crm/sales-orders/{order['id']}/pdf",
      [order["number"], name, "Amir Temur koʻchasi 15", item["sku"], order["total"]]
      + [l["line_total"] for l in order["lines"]])

call("POST", f"/crm/sales-orders/{order['id']}/confirm", {})
call("POST", f"/crm/sales-orders/{order['id']}/deliver", {})
invoice = call("POST", f"/crm/sales-orders/{order['id']}/invoice", {"post": True})
check("invoice", f"/finance/invoices/{invoice['id']}/pdf",
      [invoice["number"], name, invoice["net"], invoice["tax"], invoice["total"]]
      + [l["net"] for l in invoice["lines"]])

po = call("GET", "/inventory/purchase-orders")["items"][0]
check("purchase order", f"/inventory/purchase-orders/{po['id']}/pdf",
      [po["number"], po["total"]] + [l["line_total"] for l in po["lines"]])
