"""`make bench`: the fake bank measured beside static mock servers, figures in BENCHMARKS.md.

Peers (WireMock, Prism, mountebank) and wrk are installed on demand outside the repository, under
``~/.cache/drawbridge-bench`` (wrk through apt-get). Everything listens on 127.0.0.1 only and every
child process runs under a deadline. ``python -m bench --smoke`` runs the same code with tiny
durations and no peers, for the test suite.
"""
