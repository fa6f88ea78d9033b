#!/bin/sh
# demo.sh: the main job (make demo). Grown by later modules.
set -e
"$PARTYDATA" --version
