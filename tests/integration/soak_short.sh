#!/usr/bin/env bash
# The 3-minute version of the soak test (tests/soak/push_cuts.sh): ten server cuts, a freeze
# and a port move against a live 720p30 push, in CI.
exec bash "$(dirname "$0")/../soak/push_cuts.sh" 3
