#!/usr/bin/env bash
# The main job on the sample corpus: import the five seed documents with their sources,
# annotate the troop estimate in two articles and Lavrov's statement, write a note citing all
# three, search, and export (W3C JSON-LD and a Markdown report). Run after `swift build`, from
# anywhere; it works in ./.demo of the repository (removed first, so it can be run again).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${GLOSS:-}" ]; then
  # Build (or bring up to date) the gloss binary first, so this one command works on a fresh clone.
  echo "Building gloss (the first build takes a few minutes)..." >&2
  swift build --product gloss >&2
  GLOSS="$(swift build --show-bin-path)/gloss"
fi
STORE=.demo
step() { printf '\n\033[1m$ %s\033[0m\n' "$*" >&2; }
# Every command below uses the demo store, never a store of the current folder.
export GLOSS_STORE="$STORE"
g() { step "gloss $*"; "$GLOSS" "$@"; }
g_quiet() { "$GLOSS" "$@"; }

rm -rf "$STORE"
mkdir -p "$STORE"
step "gloss init --store $STORE --name demo"
"$GLOSS" init --store "$STORE" --name demo

g import seeds/000_3cbad4fa4e5a5cf2.txt --title "Syria – Country Focus: 3.2. Russia" \
  --publisher "EUAA (European Union Agency for Asylum)" --author "EUAA" --published 2025-03 \
  --accessed 2026-01-15 --language en --grade B --grade-note "EU agency COI report, sourced with footnotes"
g import seeds/001_348d4b9bcc085b04.txt --title "Russian Forces Begin Drawdown In Syria" \
  --publisher "RFE/RL (Radio Free Europe/Radio Liberty)" --published 2016-03-15 --accessed 2026-01-15 \
  --language en --grade B --grade-note "established international broadcaster"
g import seeds/002_ac9427f3afea65d3.txt --title "All Russian military bases in Syria may be closed" \
  --publisher "unknown (Ukrainian news site citing GUR)" --published 2024-12-16 --accessed 2026-01-15 \
  --language en --grade C --grade-note "relays Ukrainian intelligence (GUR) claims"
g import seeds/003_9cb3e30966321dd8.txt --title "Russian Warplanes Have Now Started Leaving Syria" \
  --publisher "VICE News" --published 2016-03-15 --accessed 2026-01-15 --language en --grade B
g import seeds/004_176670d04e94e4a6.txt --title "Russia leaving Syria? Lavrov dispels rumors" \
  --publisher "unknown (news site)" --published 2017-07 --accessed 2026-01-15 --language en --grade D \
  --grade-note "unattributed, loose translation of a Channel 4 interview"
g docs

doc() { g_quiet docs --json | python3 -c "import json,sys; print(next(d['document']['id'] for d in json.load(sys.stdin) if d['document']['title'].startswith(sys.argv[1])))" "$1"; }
ann() { python3 -c "import json,sys; print(json.load(sys.stdin)['id'])"; }
RFERL=$(doc "Russian Forces Begin"); VICE=$(doc "Russian Warplanes"); LAVROV=$(doc "Russia leaving Syria")

step "gloss annotate $RFERL --quote 'between 3,000 and 6,000' ..."
A1=$(g_quiet annotate "$RFERL" --quote "between 3,000 and 6,000" --tag troops --tag estimate \
  --claim "3,000 to 6,000 Russian troops in Syria before the drawdown" --said-by "US government" --credibility 3 \
  --comment "US estimate, no official Russian figure" --json | ann); echo "$A1"
step "gloss annotate $VICE --quote 'between 3,000 and 6,000' ..."
A2=$(g_quiet annotate "$VICE" --quote "between 3,000 and 6,000" --tag troops --tag estimate \
  --claim "3,000 to 6,000 Russian soldiers at Hmeymim" --said-by "US" --credibility 3 --json | ann); echo "$A2"
step "gloss annotate $LAVROV --quote 'The withdrawal of the Russian military group ...' ..."
A3=$(g_quiet annotate "$LAVROV" \
  --quote "The withdrawal of the Russian military group from Syria depends on what is happening on the ground" \
  --tag withdrawal --claim "Withdrawal depends on the situation on the ground" --said-by "Sergei Lavrov" \
  --credibility 2 --json | ann); echo "$A3"

g note add --title "Russian troop strength in Syria (2016)" \
  --body "Two independent outlets report the same US estimate of the Russian contingent, while Moscow ties any withdrawal to conditions on the ground." \
  --cite "$A1" --cite "$A2" --cite "$A3" --tag troops
g note list
g search "3,000 and 6,000"
g search --kind note troop
g show "$VICE" | tail -n 12
g export --format w3c --output "$STORE/export.w3c.jsonld"
g export --format markdown --output "$STORE/report.md"
g export --format json --output "$STORE/export.json"
g check
step "cat $STORE/report.md"
cat "$STORE/report.md"
