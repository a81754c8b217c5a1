"""Wire mutants of a correct connector: how much of a scenario library's promise is kept.

A mutating proxy (:mod:`harness.mutate.proxy`) sits between the connector and the fake bank
and makes the traffic carry one realistic integration defect at a time
(:mod:`harness.mutate.operators`);
:mod:`harness.mutate.session` runs a profile clean and once per operator and judges each mutant
killed, caught late or survived; :mod:`harness.mutate.report` writes the table. docs/mutation.md.
"""
