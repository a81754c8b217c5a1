# Names vulture cannot see being used (`make lint`; settings in pyproject.toml [tool.vulture]).
#
# vulture reads the packages as text: it does not see a name used through getattr, a template,
# another library or only by tests. Each entry says which. vulture matches by name alone
# (`_.x` marks every attribute x used), so keep entries few: a name nothing uses is deleted,
# not listed here. pytest hooks and fixtures, click commands and the adapters' operation
# handlers need no entry: pyproject.toml ignores them by name and decorator. This file is never
# run (ruff skips it too).

# Framework protocols: click asks a group for its commands (harness/cli/main.py), pytest asks
# its nodes to collect, run and describe themselves (harness/pytest_plugin.py), __exit__
# receives the exception, and a module __getattr__ (PEP 562) loads harness.drivers lazily.
_.list_commands
_.get_command
_.collect
_.runtest
_.reportinfo
exc_type
tb
__getattr__
# uvicorn's protocol calls on_response_complete when an answer is sent
# (fake_core_bank/http/guards.py overrides it whole, without uvicorn's keep-alive timer).
_.on_response_complete
# httptools calls a protocol's chunk callbacks when it has them (guards.py counts trailers)
_.on_chunk_header
_.on_chunk_complete

# Settings of other libraries, made by assigning their attributes: uvicorn's Server (and its
# request count, which the fake bank's protocol keeps as uvicorn's did),
# starlette's Router, ruamel's YAML, requests' Session, testcontainers' config.
_.should_exit
_.total_requests
_.redirect_slashes
_.default_flow_style
_.allow_unicode
_.sort_base_mapping_type_on_output
_.allow_duplicate_keys
_.trust_env
_.ryuk_disabled

# Read by the Jinja templates in harness/reporting/templates/ (report.html.j2, sequence.svg.j2).
_.has_problem
_.y1
_.y2
_.sublabel

# Journal entry fields the harness reads from the entry's dict form (the report's journal
# table, the sequence diagram, the request-conformance oracle), never as attributes.
_.served_by
_.request_violations

# What scenarios/profiles/rules/gate-policy.yaml states for each rule (where the rule is
# written, which scenario will enforce a pending one): required in the file for its readers,
# kept whole on the parsed rule (harness/certify/gate_policy.py).
_.stated
_.awaiting

# Public API that the harness does not call itself, documented and used by tests: a
# certificate's digest check, the CHANGELOG drift test's parser
# (tests/contracts/test_changelog_matches_diff.py), one exchange's cost per transport
# (docs/reproducing.md), the pytest fixture's customer account (README.md).
verify_digest
parse_changelog
covering_row
per_exchange
_.customer_account

# Public API for users' code: a bank reached over its control API (docs/control-api.md), and a
# core model active inside a block only (docs/core-models.md; tests use it).
RemoteBank
using

# Core models named on the command line (`--core MODULE:ATTR`, loaded with getattr): the example
# gateway's releases under the scenario library (examples/cores/gateway_lending/README.md).

# The bank's Idempotency-Keys as a read-only mapping over memory and the ledger's spill database
# (fake_core_bank.domain.bank.CoreBank.idempotency): the ledger tests check every key against it.
_.idempotency
