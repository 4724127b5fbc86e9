#!/usr/bin/env bash
# The main job: runs the local swarm demo (`mgr demo`). Extra arguments go to `mgr demo`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/prereqs.sh"
cd "$MGR_ROOT"

mgr_need_apt librocksdb7.8
dotnet build src/Mgr.Node -c Release --nologo -v quiet -clp:ErrorsOnly >&2
exec dotnet src/Mgr.Node/bin/Release/net10.0/mgr.dll demo "$@"
