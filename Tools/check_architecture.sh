#!/usr/bin/env bash
# The layering rules of docs/architecture.md, checked on the source text (CI runs this before building):
#
#   1. GovShareCore imports Foundation only (it owns the rules; frameworks stay outside it).
#   2. The server (controllers, portal, CKAN, scheduler, seeders) and the command line reach the database only through
#      Core's services: no file under Sources/GovShareServer or Sources/govshare names a repository —
#      no `platform.<x>Repository`, no `*Repository` type or property, and no use of a `Platform` property whose type
#      is a repository. The one exception is a rule, not a list: the composition root (Sources/GovShareServer/
#      Platform.swift) constructs the store's repositories and hands them to the services (local names such as
#      `let catalogRepository = SQLCatalogRepository(context: context)` are fine there) — but it may not keep one in a
#      property of `Platform`, which is what everything else would reach through.
#   3. Every module a target imports is one of its declared direct dependencies in Package.swift (or a toolchain
#      module such as Foundation). `swift build --explicit-target-dependency-import-check=error` (CI's build) only
#      catches imports of targets outside a target's dependency closure; this catches imports that compile only
#      because some other dependency happens to bring the module along.
#
# Prints every violation as path:line: text and exits 1 when there is any. Run from the repository root.
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

failures=0

# --- 1. Core imports -------------------------------------------------------------------------------------------------
core_imports=$(grep -rnE '^[[:space:]]*(@[A-Za-z_]+[[:space:]]+)*import[[:space:]]+(class |struct |enum |protocol |func |var |let |typealias )?[A-Za-z_]' \
    Sources/GovShareCore --include='*.swift' | grep -vE ':[[:space:]]*import[[:space:]]+Foundation[[:space:]]*$' || true)
if [ -n "$core_imports" ]; then
    echo "GovShareCore must import Foundation only; these imports break the rule:"
    echo "$core_imports" | sed 's/^/  /'
    failures=$((failures + 1))
fi

# --- 2. Repository reaches from the server and the command line ------------------------------------------------------
platform=Sources/GovShareServer/Platform.swift

# Platform properties typed as a repository (e.g. `public let departments: any DepartmentRepository`): using them is a
# reach even though their names do not say "Repository".
repository_properties=""
if [ -f "$platform" ]; then
    repository_properties=$(grep -oE '(let|var)[[:space:]]+[A-Za-z_][A-Za-z0-9_]*[[:space:]]*:[[:space:]]*(any[[:space:]]+)?[A-Za-z_]*Repository\b' "$platform" \
        | sed -E 's/^(let|var)[[:space:]]+([A-Za-z0-9_]+).*/\2/' | sort -u | paste -sd'|' -)
fi

# In the composition root only a stored property typed as a repository is a reach (a member of `Platform` at its
# declaration indentation, with a type annotation); wiring inside its functions is not.
is_composition_wiring() {
    local path=$1 text=$2
    [ "$path" = "$platform" ] || return 1
    printf '%s' "$text" | grep -qE '^    ((public|internal|package|private|fileprivate)[[:space:]]+)?(let|var)[[:space:]]+[A-Za-z_][A-Za-z0-9_]*[[:space:]]*:[^=]*Repository\b' \
        && return 1
    return 0
}

pattern='\b[A-Za-z_]*Repository\b'
if [ -n "$repository_properties" ]; then
    pattern="$pattern|\\bplatform\\.($repository_properties)\\b"
fi

reaches=()
while IFS= read -r hit; do
    [ -n "$hit" ] || continue
    path=${hit%%:*}
    rest=${hit#*:}
    text=${rest#*:}
    # Comments may talk about repositories.
    printf '%s' "$text" | grep -qE '^[[:space:]]*//' && continue
    is_composition_wiring "$path" "$text" && continue
    reaches+=("$hit")
done < <(grep -rnE "$pattern" Sources/GovShareServer Sources/govshare --include='*.swift' || true)

if [ "${#reaches[@]}" -gt 0 ]; then
    echo "The server and the command line call Core's services, never a repository (docs/architecture.md)."
    echo "${#reaches[@]} reaches of a repository from Sources/GovShareServer or Sources/govshare:"
    printf '  %s\n' "${reaches[@]}"
    failures=$((failures + 1))
fi

# --- 3. Direct dependencies declared ---------------------------------------------------------------------------------
manifest=$(mktemp)
scratch=$(mktemp -d)
if swift package --scratch-path "$scratch" dump-package >"$manifest" 2>/dev/null; then
    if ! python3 - "$manifest" <<'PY'
import json, os, re, sys

# Modules of the toolchain: no package provides them.
toolchain = {"Foundation", "FoundationEssentials", "FoundationInternationalization", "FoundationNetworking", "FoundationXML",
             "Dispatch", "Synchronization", "Testing", "XCTest", "Glibc", "Musl", "Darwin", "RegexBuilder", "Observation",
             "Distributed", "Swift", "_Concurrency", "_StringProcessing"}
manifest = json.load(open(sys.argv[1]))
problems = []
for target in manifest["targets"]:
    declared = set()
    for dependency in target["dependencies"]:
        kind, value = next(iter(dependency.items()))
        declared.add(value[0])  # byName / target: the target's name; product: the product's name (= its module here)
    default = {"test": "Tests", "executable": "Sources", "regular": "Sources"}.get(target["type"], "Sources")
    root = target.get("path") or os.path.join(default, target["name"])
    excluded = {os.path.normpath(os.path.join(root, e)) for e in target.get("exclude", [])}
    for folder, _, files in os.walk(root):
        for name in sorted(files):
            path = os.path.join(folder, name)
            if not name.endswith(".swift") or any(path.startswith(e) for e in excluded):
                continue
            for number, line in enumerate(open(path, encoding="utf-8"), 1):
                match = re.match(r"^\s*(?:@[\w()]+\s+)*(?:(?:public|package|internal|fileprivate|private)\s+)?import\s+(?:(?:class|struct|enum|protocol|func|var|let|typealias)\s+)?([A-Za-z_][A-Za-z0-9_]*)", line)
                if match and match.group(1) not in toolchain and match.group(1) not in declared and match.group(1) != target["name"]:
                    problems.append(f"{path}:{number}: imports {match.group(1)}, which target {target['name']} does not declare")
if problems:
    print(f"Every module a target imports must be a direct dependency declared in Package.swift; {len(problems)} imports are not:")
    print("\n".join("  " + p for p in problems))
    sys.exit(1)
PY
    then
        failures=$((failures + 1))
    fi
else
    echo "swift package dump-package failed; cannot check the declared dependencies"
    failures=$((failures + 1))
fi
rm -rf "$manifest" "$scratch"

if [ "$failures" -gt 0 ]; then
    echo "check_architecture: FAILED"
    exit 1
fi
echo "check_architecture: Core imports Foundation only; no repository is reached from the server or the command line;"
echo "every import is a declared direct dependency"
