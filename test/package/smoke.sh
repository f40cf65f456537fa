#!/usr/bin/env bash
# The package as a user gets it (issue 14, part 3), run by .ci/run: `npm pack`, installed into an empty
# folder with nothing else, must give a working `npx kafkasim` (validate, run, describe, check with a
# JUnit report that validates), the scenario library and the JSON Schema, a programmatic API with
# types, and no dev dependency at run time. The same commands docs/ci.md shows, run for real.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/kafkasim-package-XXXXXX")
trap 'rm -rf "$work"' EXIT

cd "$root"
tgz=$(npm pack --silent --pack-destination "$work" | tail -n 1)
cd "$work"
npm init -y >/dev/null
npm install --no-audit --no-fund --loglevel=error "./$tgz" >/dev/null
for dev in tsx typescript vitest vite playwright-core; do
  if [ -e "node_modules/$dev" ]; then echo "package smoke: the dev dependency $dev was installed" >&2; exit 1; fi
done
test -f node_modules/kafkasim/scenarios/scenario.schema.json
test -d node_modules/kafkasim/scenarios/library

cp "$root/test/package/my.yaml" .
npx --no-install kafkasim --help >/dev/null
npx --no-install kafkasim validate my.yaml
npx --no-install kafkasim run my.yaml --json >run.json
npx --no-install kafkasim describe my.yaml --at 5s >/dev/null
npx --no-install kafkasim check my.yaml --reporter junit --out r.xml
node "$root/test/package/validate-junit.mjs" r.xml
npx --no-install kafkasim check node_modules/kafkasim/scenarios/library/acks-1-leader-crash.yaml >/dev/null

# the library, from JavaScript and with its types
cp "$root/test/package/consumer.mts" .
"$root/node_modules/.bin/tsc" --noEmit --strict --module nodenext --moduleResolution nodenext --typeRoots "$root/node_modules/@types" --types node consumer.mts
"$root/node_modules/.bin/tsc" --strict --module nodenext --moduleResolution nodenext --skipLibCheck --typeRoots "$root/node_modules/@types" --types node --outDir out consumer.mts
node out/consumer.mjs
echo "package smoke: $tgz installs and runs (cli, junit report, library, typed API)"
