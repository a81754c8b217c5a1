#!/usr/bin/env bash
# shellcheck shell=bash
# Docker engine and offline-built images for the container tests (issue 7).
#
# Sourced by .ci/run, which calls ci_containers_start before `make test` and ci_containers_stop on
# exit. Works on a machine that reaches its Debian mirror and its pip configuration but no image
# registry: the base image is bootstrapped from the mirror named in the machine's own apt sources
# (read at run time, never written here) and imported; wheels are built on the host and copied
# into the images, which install them with `pip install --no-index`.
#
# Run by hand:  bash -c 'source .ci/containers.sh && ci_containers_start'
#
# Exports for the tests: DRAWBRIDGE_BANK_IMAGE, DRAWBRIDGE_CONNECTOR_IMAGE,
# DRAWBRIDGE_HTTP_CONNECTOR_IMAGE.

CI_CONTAINERS_BASE_IMAGE=${CI_CONTAINERS_BASE_IMAGE:-drawbridge-base:bookworm}
CI_CONTAINERS_DOCKERD_LOG=${CI_CONTAINERS_DOCKERD_LOG:-/tmp/drawbridge-dockerd.log}
export DRAWBRIDGE_BANK_IMAGE=${DRAWBRIDGE_BANK_IMAGE:-drawbridge-fake-bank:ci}
export DRAWBRIDGE_CONNECTOR_IMAGE=${DRAWBRIDGE_CONNECTOR_IMAGE:-drawbridge-connector-python:ci}
export DRAWBRIDGE_HTTP_CONNECTOR_IMAGE=${DRAWBRIDGE_HTTP_CONNECTOR_IMAGE:-drawbridge-connector-http:ci}
# Our containers are removed by name at teardown; Ryuk (the reaper) would need a registry.
export TESTCONTAINERS_RYUK_DISABLED=true

_ci_containers_dockerd_pid=""
_ci_containers_repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
_ci_containers_t0=$(date +%s)

_ci_containers_log() {
  echo "[containers $(( $(date +%s) - _ci_containers_t0 ))s] $*"
}

_ci_containers_apt_install() {
  # Only what is missing; --no-install-recommends keeps docker.io to the engine itself.
  _ci_containers_log "apt-get install $*"
  if ! { apt-get update -qq \
         && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
       } >/tmp/drawbridge-apt.log 2>&1; then
    echo "apt-get install $* failed; last lines of /tmp/drawbridge-apt.log:" >&2
    tail -n 20 /tmp/drawbridge-apt.log >&2
    return 1
  fi
}

# The first Debian mirror of the machine's apt sources that carries the wanted suite (deb822
# .sources files or one-line .list files); any `deb` mirror as a fallback. Prints the URI.
_ci_containers_mirror() {
  local suite=$1 f found=""
  shopt -s nullglob
  for f in /etc/apt/sources.list.d/*.sources; do
    found=$(awk -v suite="$suite" '
      BEGIN { RS = ""; FS = "\n" }
      {
        uris = ""; suites = ""; types = ""; enabled = "yes"
        for (i = 1; i <= NF; i++) {
          line = $i
          if (line ~ /^URIs:/)    { sub(/^URIs:[ \t]*/, "", line); uris = line }
          if (line ~ /^Suites:/)  { sub(/^Suites:[ \t]*/, "", line); suites = " " line " " }
          if (line ~ /^Types:/)   { types = " " line " " }
          if (line ~ /^Enabled:/) { enabled = tolower(line) ~ /no/ ? "no" : "yes" }
        }
        if (enabled == "yes" && types ~ /[ \t]deb[ \t]/ && suites ~ (" " suite " ")) {
          split(uris, u, /[ \t]+/); print u[1]; exit
        }
      }' "$f")
    [ -n "$found" ] && break
  done
  if [ -z "$found" ]; then
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
      [ -r "$f" ] || continue
      found=$(awk -v suite="$suite" '
        $1 == "deb" {
          i = 2
          if ($2 ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
          if ($(i + 1) == suite) { print $i; exit }
        }' "$f")
      [ -n "$found" ] && break
    done
  fi
  shopt -u nullglob
  [ -n "$found" ] || return 1
  echo "$found"
}

_ci_containers_dockerd() {
  if docker info >/dev/null 2>&1; then
    _ci_containers_log "using the Docker engine already running"
    return 0
  fi
  command -v dockerd >/dev/null 2>&1 || _ci_containers_apt_install docker.io || return 1
  if docker info >/dev/null 2>&1; then  # the package's init script may have started one
    _ci_containers_log "using the Docker engine started by the docker.io package"
    return 0
  fi
  # No bridge and no iptables: every container here runs with host networking.
  _ci_containers_log "starting dockerd (log: $CI_CONTAINERS_DOCKERD_LOG)"
  dockerd --bridge=none --iptables=false >"$CI_CONTAINERS_DOCKERD_LOG" 2>&1 &
  _ci_containers_dockerd_pid=$!
  local waited=0
  until docker info >/dev/null 2>&1; do
    if ! kill -0 "$_ci_containers_dockerd_pid" 2>/dev/null; then
      echo "dockerd exited; last lines of $CI_CONTAINERS_DOCKERD_LOG:" >&2
      tail -n 20 "$CI_CONTAINERS_DOCKERD_LOG" >&2
      return 1
    fi
    if [ "$waited" -ge 60 ]; then
      echo "dockerd did not answer within 60 s; see $CI_CONTAINERS_DOCKERD_LOG" >&2
      return 1
    fi
    sleep 1
    waited=$((waited + 1))
  done
  _ci_containers_log "dockerd ready (pid $_ci_containers_dockerd_pid)"
}

_ci_containers_base_image() {
  if docker image inspect "$CI_CONTAINERS_BASE_IMAGE" >/dev/null 2>&1; then
    _ci_containers_log "base image $CI_CONTAINERS_BASE_IMAGE cached"
    return 0
  fi
  command -v debootstrap >/dev/null 2>&1 || _ci_containers_apt_install debootstrap || return 1
  local mirror root
  mirror=$(_ci_containers_mirror bookworm) || {
    echo "no Debian mirror for bookworm in /etc/apt/sources.list{,.d/*}; add one" >&2
    return 1
  }
  root=$(mktemp -d /tmp/drawbridge-rootfs.XXXXXX)
  _ci_containers_log "debootstrap bookworm (minbase + python3) from the apt sources' mirror"
  if ! debootstrap --variant=minbase --include=python3,python3-venv,python3-pip \
      bookworm "$root" "$mirror" >/tmp/drawbridge-debootstrap.log 2>&1; then
    echo "debootstrap failed; last lines of /tmp/drawbridge-debootstrap.log:" >&2
    tail -n 20 /tmp/drawbridge-debootstrap.log >&2
    rm -rf "$root"
    return 1
  fi
  # The image needs neither the downloaded packages nor the package lists.
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
  if ! tar -C "$root" -c . | docker import \
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      --change 'ENV LANG=C.UTF-8' \
      --change 'CMD ["/bin/bash"]' \
      - "$CI_CONTAINERS_BASE_IMAGE" >/dev/null; then
    echo "docker import of the bootstrapped tree failed" >&2
    rm -rf "$root"
    return 1
  fi
  rm -rf "$root"
  _ci_containers_log "imported $CI_CONTAINERS_BASE_IMAGE"
}

# Wheels of the project and of every dependency into $1/wheels, with the machine's own pip
# configuration (index, find-links, constraints). Output goes to /tmp/drawbridge-wheels.log.
_ci_containers_wheels() {
  "$2" -m pip wheel --quiet --wheel-dir "$1/wheels" "$_ci_containers_repo" \
    >/tmp/drawbridge-wheels.log 2>&1
}

# Every image from one context: wheels/ plus the reference connectors' sources. Builds run side
# by side, each logging to /tmp/drawbridge-build-<n>.log.
_ci_containers_images() {
  local ctx=$1 repo=$_ci_containers_repo spec image dockerfile n=0 failed=0
  local -a pids=() logs=() names=()
  # The connector images carry the reference connectors' sources, nothing else of the tree.
  mkdir -p "$ctx/examples/connectors/reference_py" "$ctx/examples/connectors/reference_http"
  cp "$repo/examples/__init__.py" "$ctx/examples/"
  cp "$repo/examples/connectors/__init__.py" "$ctx/examples/connectors/"
  cp "$repo"/examples/connectors/reference_py/*.py "$ctx/examples/connectors/reference_py/"
  cp "$repo"/examples/connectors/reference_http/*.py "$ctx/examples/connectors/reference_http/"
  for spec in "$DRAWBRIDGE_BANK_IMAGE=docker/fake-bank.Dockerfile" \
              "$DRAWBRIDGE_CONNECTOR_IMAGE=docker/connector-python.Dockerfile" \
              "$DRAWBRIDGE_HTTP_CONNECTOR_IMAGE=docker/connector-http.Dockerfile"; do
    image=${spec%%=*}
    dockerfile=${spec#*=}
    n=$((n + 1))
    _ci_containers_log "docker build $image ($dockerfile)"
    # The classic builder: BuildKit would fetch its frontend from a registry.
    DOCKER_BUILDKIT=0 docker build --build-arg "BASE_IMAGE=$CI_CONTAINERS_BASE_IMAGE" \
      --file "$repo/$dockerfile" --tag "$image" "$ctx" >"/tmp/drawbridge-build-$n.log" 2>&1 &
    pids+=("$!")
    logs+=("/tmp/drawbridge-build-$n.log")
    names+=("$image")
  done
  for n in "${!pids[@]}"; do
    if ! wait "${pids[$n]}"; then
      echo "docker build ${names[$n]} failed; last lines of ${logs[$n]}:" >&2
      tail -n 30 "${logs[$n]}" >&2
      failed=1
    fi
  done
  [ "$failed" -eq 0 ] || return 1
  docker image prune --force >/dev/null 2>&1 || true  # the previous run's untagged images
}

ci_containers_start() {
  _ci_containers_t0=$(date +%s)
  local python=${CI_CONTAINERS_PYTHON:-python3} ctx wheels_pid rc=0
  # The images run the base image's Python 3.11: wheels with compiled parts must match it.
  if ! "$python" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
    echo "$python is not Python 3.11; set CI_CONTAINERS_PYTHON to a 3.11 interpreter" >&2
    return 1
  fi
  _ci_containers_dockerd || return 1
  ctx=$(mktemp -d /tmp/drawbridge-build.XXXXXX)
  # Wheels build while the base image bootstraps: the two are independent.
  _ci_containers_log "building wheels (the project and its dependencies)"
  _ci_containers_wheels "$ctx" "$python" &
  wheels_pid=$!
  _ci_containers_base_image || rc=1
  if ! wait "$wheels_pid"; then
    echo "pip wheel failed; last lines of /tmp/drawbridge-wheels.log:" >&2
    tail -n 20 /tmp/drawbridge-wheels.log >&2
    rc=1
  fi
  [ "$rc" -eq 0 ] && _ci_containers_log "wheels ready"
  [ "$rc" -eq 0 ] && { _ci_containers_images "$ctx" || rc=1; }
  rm -rf "$ctx"
  [ "$rc" -eq 0 ] || return 1
  _ci_containers_log "images ready: $DRAWBRIDGE_BANK_IMAGE, $DRAWBRIDGE_CONNECTOR_IMAGE," \
    "$DRAWBRIDGE_HTTP_CONNECTOR_IMAGE"
}

ci_containers_stop() {
  # Only the engine started here; an engine that was already running is left alone.
  [ -n "$_ci_containers_dockerd_pid" ] || return 0
  local pid=$_ci_containers_dockerd_pid waited=0
  _ci_containers_dockerd_pid=""
  kill -TERM "$pid" 2>/dev/null || return 0
  while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt 30 ]; do
    sleep 1
    waited=$((waited + 1))
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "dockerd (pid $pid) ignored SIGTERM for 30 s; killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
  _ci_containers_log "dockerd stopped"
}
