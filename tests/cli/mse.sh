#!/bin/sh
# tests/cli/mse.sh - `siren stats mse`: outputs against EXPECTED.md and
# every error path (exit 1 data error, exit 2 usage error).
# SPDX-License-Identifier: AGPL-3.0-or-later
. "$(dirname "$0")/lib.sh"
D="$SIREN_SHARED/data/mse"

# stepwise (default): UK 2013 five lists, EXPECTED.md
run "$SIREN" stats mse "$D/uk2013_5lists.csv"
expect_rc 0 "uk stepwise"
expect_out "interactions: LA:NG (p=" "uk interactions first"
expect_out "NG:GP" "uk NG:GP"
expect_out "NG:GO (p=" "uk last interaction"
expect_out "estimate N: 11313.0" "uk estimate"
expect_out "95% log-normal interval: 9884.4 - 13027.4" "uk interval"

# main effects only through a zero threshold
run "$SIREN" stats mse "$D/uk2013_5lists.csv" --threshold 0
expect_rc 0 "uk main effects"
expect_out "interactions: none" "uk no interactions"
expect_out "estimate N: 13444.1" "uk main estimate"
expect_out "11985.2 - 15133.4" "uk main interval"

run "$SIREN" stats mse "$D/western_us_5lists.csv" --format csv
expect_rc 0 "western csv"
expect_out "interactions,A:E" "western interaction"
expect_out "estimate,2483.38" "western estimate"
expect_out "lognormal_lower,1657.09" "western lower"

run "$SIREN" stats mse "$D/new_orleans_5lists.csv" --format json
expect_rc 0 "new orleans json"
expect_out '"interactions": []' "new orleans none"
expect_out '"estimate": 1034.15' "new orleans estimate"
expect_out '"lognormal_upper": 1708.60' "new orleans upper"

# bootstrap: same seed, same answer whatever the thread count
run "$SIREN" stats mse "$D/western_us_5lists.csv" --bootstrap 100 --seed 5 --threads 1 --format csv
expect_rc 0 "bootstrap 1 thread"
B1=$(printf '%s\n' "$OUT" | grep bca_)
run "$SIREN" stats mse "$D/western_us_5lists.csv" --bootstrap 100 --seed 5 --threads 2 --format csv
expect_rc 0 "bootstrap 2 threads"
B2=$(printf '%s\n' "$OUT" | grep bca_)
[ -n "$B1" ] && [ "$B1" = "$B2" ] && ok || not_ok "bootstrap not reproducible: '$B1' vs '$B2'"
run "$SIREN" stats mse "$D/western_us_5lists.csv" --bootstrap 100 --seed 5
expect_out "BCa bootstrap interval" "bootstrap text"
expect_out "100 replicates, seed 5, 0 refused" "bootstrap counts"

# all models: Kosovo, EXPECTED.md
run "$SIREN" stats mse "$D/kosovo1999_4lists.csv" --method models --top 3
expect_rc 0 "kosovo models"
expect_out "113 hierarchical models up to order 3" "kosovo 113"
expect_out "[123,14,34]                       10356.5      785.9      9.323    4" "kosovo best"
expect_out "interval 8994.3 - 12110.4 (profile maximum 10334.5)" "kosovo profile"

run "$SIREN" stats mse "$D/kosovo1999_4lists.csv" --method models --two-way --format csv --top 1
expect_rc 0 "kosovo two-way"
expect_out '1,"[12,13,14,23,34]",14341.66' "kosovo two-way best"

run "$SIREN" stats mse "$D/kosovo1999_4lists.csv" --method models --two-way --rank aic --format json --top 2
expect_rc 0 "kosovo aic json"
expect_out '"rank": "aic"' "json rank"
expect_out '"models_fitted": 64' "json 64"

# a fixed model
run "$SIREN" stats mse "$D/kosovo1999_4lists.csv" --model "[123,14,34]"
expect_rc 0 "kosovo fit"
expect_out "model [123,14,34]: N 10356.5 (standard error 785.9)" "fit estimate"
expect_out "deviance 9.32 on 4 df" "fit deviance"
expect_out "profile-likelihood interval: 8994.3 - 12110.4" "fit profile"
run "$SIREN" stats mse "$D/kosovo1999_4lists.csv" --method fit --model "[12,13,14,23,34]" --format json
expect_out '"profile_lower": 12525.18' "fit two-way json"

# two lists: Lincoln-Petersen and Chapman (EXH, ABA)
printf 'EXH,ABA,count\n1,0,1507\n0,1,1125\n1,1,403\n' > "$T_TMP/two.csv"
run "$SIREN" stats mse "$T_TMP/two.csv" --model "[1,2]"
expect_rc 0 "two lists"
expect_out "Lincoln-Petersen: 7241.89, Chapman: 7231.47" "two-list estimators"
expect_out "N 7241.9" "two-list model"

# refusals with the reason
run "$SIREN" stats mse "$D/artificial_3lists.csv" --model "[12,3]"
expect_rc 1 "artificial A:B"
expect_err "does not exist" "artificial A:B reason"
printf 'A,B,C,count\n1,0,0,4\n0,1,0,5\n0,0,1,6\n' > "$T_TMP/disjoint.csv"
run "$SIREN" stats mse "$T_TMP/disjoint.csv"
expect_rc 1 "no overlap"
expect_err "no overlap at all" "no overlap reason"
run "$SIREN" stats mse "$D/kosovo1999_4lists.csv" --model "[1234]"
expect_rc 1 "saturated"
expect_err "not identifiable" "saturated reason"

# data errors name line and column
bad() { # bad NAME CONTENT NEEDLE
    printf "$2" > "$T_TMP/$1.csv"
    run "$SIREN" stats mse "$T_TMP/$1.csv"
    expect_rc 1 "$1"
    expect_err "$3" "$1 message"
    expect_no "estimate" "$1 no output"
}
bad value 'A,B,count\n1,2,3\n' "line 2, column 2 ('B'): value must be 0 or 1"
bad negative 'A,B,count\n1,0,-3\n1,1,2\n' "line 2, column 3 ('count'): negative count"
bad fraction 'A,B,count\n1,0,2.5\n' "line 2, column 3 ('count'): count must be a whole number"
bad duplicate 'A,B,count\n1,0,3\n1,1,1\n1,0,2\n' "line 4: duplicate history (first on line 2)"
bad allzero 'A,B,count\n0,0,3\n' "line 2: all-zero history"
bad nocount 'A,B,C\n1,0,1\n' "missing count column"
bad onelist 'A,count\n1,3\n' "fewer than 2 lists"
bad sixteen 'A,B,C,D,E,F,G,H,I,J,K,L,M,N,O,P,count\n' "more than 15 lists"
bad fields 'A,B,count\n1,0\n' "line 2: expected 3 fields, found 2"
bad empty '' "empty input"
run "$SIREN" stats mse "$T_TMP/nonexistent.csv"
expect_rc 1 "missing file"
expect_err "cannot open" "missing file message"

# usage errors
run "$SIREN" stats mse
expect_rc 2 "no file"
expect_err "missing argument FILE.csv" "no file message"
run "$SIREN" stats mse "$D/uk2013_5lists.csv" --method magic
expect_rc 2 "bad method"
run "$SIREN" stats mse "$D/uk2013_5lists.csv" --threshold 2
expect_rc 2 "bad threshold"
run "$SIREN" stats mse "$D/uk2013_5lists.csv" --format xml
expect_rc 2 "bad format"
run "$SIREN" stats mse "$D/uk2013_5lists.csv" --frobnicate
expect_rc 2 "unknown option"
run "$SIREN" stats mse "$D/uk2013_5lists.csv" --bootstrap
expect_rc 2 "missing value"
run "$SIREN" stats mse "$D/uk2013_5lists.csv" --method fit
expect_rc 2 "fit without model"
run "$SIREN" stats mse "$D/uk2013_5lists.csv" --method models --bootstrap 10
expect_rc 2 "bootstrap with models"
run "$SIREN" stats mse "$D/kosovo1999_4lists.csv" --model "[19]"
expect_rc 2 "bad model"
expect_err "out of range" "bad model message"
run "$SIREN" stats mse "$D/kosovo1999_4lists.csv" --method models --max-order 4
expect_rc 2 "order too high"
run "$SIREN" stats mse a.csv b.csv
expect_rc 2 "two files"
run "$SIREN" stats mse --help
expect_rc 0 "help"
expect_out "usage: siren stats mse FILE.csv" "help text"

done_testing mse
