#!/usr/bin/env bash
# Copies the OpenAI reference roster is built and tested against from the steering folder
# (shared/reference beside the repository by default, or the folder given) into reference/, so
# that tests and CI read only what the repository holds. Run it when the shared reference changes,
# then commit reference/.
set -euo pipefail
cd "$(dirname "$0")/.."
# The steering folder sits beside the repository; only this script, run by hand, ever reads it.
steering="$(cd .. && pwd)/shared"
source_dir="${1:-$steering/reference}"
for file in openai-admin-openapi.yaml LICENSE-openai-openapi BEHAVIOR.md; do
  cp "$source_dir/$file" "reference/$file"
done
git status --short reference/
