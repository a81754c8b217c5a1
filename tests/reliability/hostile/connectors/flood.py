"""A connector gone haywire: on a draw-down it floods the bank and never answers.

It sends the same drawdown (one Idempotency-Key, so at most one booking) as fast as one
keep-alive connection allows, ignoring every Retry-After, until the harness kills it at the
operation timeout. Other operations are answered at once, so the run can go on.
"""

import http.client
import json
import os
import sys
from urllib.parse import urlsplit

BANK = urlsplit(os.environ["DRAWBRIDGE_BANK_URL"])
VERSION = os.environ["DRAWBRIDGE_CORE_VERSION"]


def flood(request: dict) -> None:
    body = json.dumps({"amount": request["amount"]["minor"], "currency": "CNY",
                       "beneficiaryAccount": request["account"],
                       "purposeCode": request.get("purpose") or "WC01"})
    headers = {"Content-Type": "application/json", "Idempotency-Key": "flood-1"}
    connection = http.client.HTTPConnection(BANK.hostname, BANK.port, timeout=5)
    while True:
        try:
            connection.request("POST", f"/{VERSION}/credit-lines/{request['line']}/drawdowns",
                               body=body, headers=headers)
            connection.getresponse().read()
        except (OSError, http.client.HTTPException):
            connection.close()
            connection = http.client.HTTPConnection(BANK.hostname, BANK.port, timeout=5)


for line in sys.stdin:
    request = json.loads(line)
    if request.get("op") == "hello":
        print(json.dumps({"name": "hostile-flood", "version": "1", "contracts": ["v2", "v3"]}),
              flush=True)
    elif request.get("op") == "draw-down":
        flood(request)
    else:
        print(json.dumps({"outcome": "failed", "detail": "not implemented"}), flush=True)
