#!/usr/bin/env bash
# tests/cli/analysis.sh - `siren survey` and `siren analysis` against a
# temporary workspace: identifying columns refused (named) and dropped,
# import of the shared RDS and MSE files, prevalence of 92 in 400
# (EXPECTED.md's Wilson interval), Kosovo 1999's BIC-best model
# (EXPECTED.md), rerun to identical numbers, delete with a reason, and the
# error paths (each changes nothing).
# SPDX-License-Identifier: AGPL-3.0-or-later
. "$(dirname "$0")/lib.sh"

export SIREN_PASSPHRASE='analysis cli passphrase'
unset SIREN_WORKSPACE
W="$T_TMP/ws"
cli_init "$W" --kdf interactive
expect_rc 0 "init"
cli_unlock "$W"
export SIREN_WORKSPACE="$W"
count() { wsql "$W" "SELECT count(*) FROM $1"; }

# a survey of 400 deportees, 92 trafficked, with names and phones
{
    echo "respondent_name,phone,trafficked,sex"
    for i in $(seq 0 399); do
        t=0; [ "$i" -lt 92 ] && t=1
        s=m; [ $((i % 3)) = 0 ] && s=f
        echo "Person $i,08$i,$t,$s"
    done
} >"$T_TMP/deportees.csv"

run "$SIREN" survey import "$T_TMP/deportees.csv" --name deportees
expect_rc 1 "identifying columns refused"
expect_err "'respondent_name'" "refusal names the column"
expect_err "'phone'" "refusal names the phone column"
expect_no "Person 1" "no cell in the message"
[ "$(count survey_dataset)" = 0 ] && ok || not_ok "refusal stored nothing"

run "$SIREN" survey import "$T_TMP/deportees.csv" --name deportees --drop-identifying
expect_rc 0 "import dropping identities"
expect_out "400 rows, 2 columns (2 identifying dropped)" "import summary"
SHA=$(printf '%s\n' "$OUT" | awk '/^sha256/ {print $2}')
# the hash is the SHA-256 of the canonical CSV (the kept columns)
WANT=$(awk -F, 'NR > 0 {print $3 "," $4}' "$T_TMP/deportees.csv" | sha256sum | cut -d' ' -f1)
[ "$SHA" = "$WANT" ] && ok || not_ok "hash is sha256 of the canonical csv: $SHA vs $WANT"
# stored encrypted: the database holds no plain cell
HEX=$(printf 'trafficked' | xxd -p | tr a-f A-F)
if sql "$W" "SELECT hex(data) FROM survey_dataset" \
    "SELECT upper(encode(data, 'hex')) FROM survey_dataset"; then
    case "$SQL" in *"$HEX"*) not_ok "plain data in the database" ;; *) ok ;; esac
fi

run "$SIREN" survey import "$T_TMP/deportees.csv" --name deportees --drop-identifying
expect_rc 1 "name taken"
expect_err "exists already" "name taken"

run "$SIREN" survey list
expect_out "deportees" "list"
run "$SIREN" survey show deportees
expect_rc 0 "show"
expect_out "trafficked" "show lists the dictionary"
expect_out "categorical" "show gives types"
expect_no "Person" "show has no identity"

run "$SIREN" analysis run prevalence --dataset deportees --outcome trafficked --format json
expect_rc 0 "prevalence"
ID=$(printf '%s\n' "$OUT" | awk '/^analysis/ {print $2; exit}' | tr -d :)
WL=$(printf '%s\n' "$OUT" | sed -n '/"wilson"/,/}/p' | awk -F': ' '/"lower"/ {gsub(/,/,"",$2); print $2}')
awk -v g="$WL" 'BEGIN { d = g - 0.191444; if (d < 0) d = -d; exit !(d < 6e-7) }' && ok || not_ok "wilson lower $WL"
run "$SIREN" analysis rerun "$ID"
expect_rc 0 "rerun"
expect_out "identical" "rerun identical"
run "$SIREN" analysis show "$ID"
expect_out "dataset_sha256: $SHA" "record keeps the hash"
expect_out "version:" "record keeps the version"

# tampering with the stored record is detected by a rerun
wsql "$W" "UPDATE survey_analysis SET result = replace(result, '0.23', '0.24') WHERE id = $ID"
run "$SIREN" analysis rerun "$ID"
expect_rc 1 "rerun of an altered record"
expect_err "differ" "rerun says it differs"

# Kosovo 1999, EXPECTED.md: BIC-best [123,14,34], N = 10356.5
run "$SIREN" survey import "$SIREN_SHARED/data/mse/kosovo1999_4lists.csv" --name kosovo
expect_rc 0 "import kosovo"
run "$SIREN" analysis run mse --dataset kosovo --max-order 3
expect_rc 0 "mse models"
expect_out "chosen_model: [123,14,34]" "kosovo best model"
expect_out "estimate: 10356.5" "kosovo N"

# RDS with a seeded bootstrap; rerun gives the same numbers
run "$SIREN" survey import "$SIREN_SHARED/data/rds/rds_fauxmadrona.csv" --name madrona
expect_rc 0 "import rds"
run "$SIREN" analysis run rds --dataset madrona --trait disease --boot 100 --seed 7
expect_rc 0 "rds"
expect_out "seed: 7" "seed recorded"
expect_out "RDS-II" "both estimators"
RID=$(printf '%s\n' "$OUT" | awk '/^analysis/ {print $2; exit}' | tr -d :)
run "$SIREN" analysis rerun "$RID"
expect_rc 0 "rds rerun"

# errors: unknown option, missing column, unknown method, usage
N=$(count survey_analysis)
run "$SIREN" analysis run prevalence --dataset deportees --colour red
expect_rc 1 "unknown option"
expect_err "colour" "unknown option named"
run "$SIREN" analysis run prevalence --dataset deportees --outcome nope
expect_rc 1 "unknown column"
expect_err "nope" "column named"
run "$SIREN" analysis run regression --dataset deportees
expect_rc 1 "unknown method"
run "$SIREN" analysis run prevalence --dataset nosuch --outcome trafficked
expect_rc 1 "unknown data set"
[ "$(count survey_analysis)" = "$N" ] && ok || not_ok "errors recorded nothing"
run "$SIREN" analysis show abc
expect_rc 2 "show needs an id"
run "$SIREN" survey frobnicate
expect_rc 2 "unknown survey command"

# delete needs a reason; then it is gone, its analyses stay
run "$SIREN" survey delete deportees
expect_rc 2 "delete without reason"
run "$SIREN" survey delete deportees --reason "uploaded twice"
expect_rc 0 "delete"
run "$SIREN" survey list
expect_no "deportees" "deleted not listed"
run "$SIREN" analysis show "$ID"
expect_rc 0 "analysis kept after delete"

run "$SIREN" audit verify
expect_rc 0 "audit chain intact"
[ "$(wsql "$W" "SELECT count(*) FROM audit WHERE action LIKE 'survey.%' OR action = 'analysis.run'")" -ge 6 ] && ok || not_ok "audited"

done_testing analysis
