#!/bin/sh
# tests/cli/stats_survey.sh - `siren stats prevalence|risk|rds` against
# EXPECTED.md (binomial intervals, RDS on rds_fauxmadrona.csv), hand
# computations (the small survey design of tests/test_stats_survey.c, a
# 2x2 table's odds ratio ad/bc), and the error paths.
# Run from the repository root: sh tests/cli/stats_survey.sh
# SPDX-License-Identifier: AGPL-3.0-or-later
. "$(dirname "$0")/lib.sh"

# csv_get TABLE_ROW_KEY COLUMN: from $OUT (--format csv), the value in the
# row whose first field is KEY, in the column named COLUMN of that table
csv_get() {
    printf '%s\n' "$OUT" | awk -F, -v key="$1" -v col="$2" '
        /^# / { hdr = 1; next }
        hdr == 1 { for (i = 1; i <= NF; i++) idx[$i] = i; hdr = 0; next }
        $1 == key && (col in idx) { print $(idx[col]); exit }'
}
# info_get KEY: a key,value line of the info block
info_get() {
    printf '%s\n' "$OUT" | awk -F, -v key="$1" '$1 == key { print $2; exit }'
}
# near GOT WANT TOL LABEL
near() {
    if awk -v g="$1" -v w="$2" -v t="$3" 'BEGIN {
            if (g == "") exit 1; d = g - w; if (d < 0) d = -d; exit !(d <= t) }'
    then ok; else not_ok "$4: got '$1', want $2 (+-$3)"; fi
}

# --- binomial intervals, EXPECTED.md (6 decimals) ---
run "$SIREN" stats prevalence --x 92 --n 400 --format csv
expect_rc 0 "prevalence 92/400"
near "$(csv_get wilson lower)" 0.191444 6e-7 "wilson lower"
near "$(csv_get wilson upper)" 0.273693 6e-7 "wilson upper"
near "$(csv_get wilson-cc lower)" 0.190283 6e-7 "wilson-cc lower"
near "$(csv_get wilson-cc upper)" 0.275008 6e-7 "wilson-cc upper"
near "$(csv_get clopper-pearson lower)" 0.189639 6e-7 "cp lower"
near "$(csv_get clopper-pearson upper)" 0.274408 6e-7 "cp upper"
near "$(csv_get agresti-coull lower)" 0.191364 6e-7 "ac lower"
near "$(csv_get agresti-coull upper)" 0.273772 6e-7 "ac upper"
near "$(csv_get wald lower)" 0.188759 6e-7 "wald lower"
near "$(csv_get wald upper)" 0.271241 6e-7 "wald upper"

run "$SIREN" stats prevalence --x 0 --n 50 --format csv
expect_rc 0 "prevalence 0/50"
near "$(csv_get clopper-pearson upper)" 0.071122 6e-7 "cp 0/50 upper"
near "$(csv_get wilson upper)" 0.071348 6e-7 "wilson 0/50 upper"
near "$(csv_get clopper-pearson lower)" 0 0 "cp 0/50 lower"
run "$SIREN" stats prevalence --x=50 --n=50 --format csv
near "$(csv_get clopper-pearson lower)" 0.928878 6e-7 "cp 50/50 lower"
near "$(csv_get wilson lower)" 0.928652 6e-7 "wilson 50/50 lower"
near "$(csv_get wilson upper)" 1 0 "wilson 50/50 upper"

run "$SIREN" stats prevalence --x 92 --n 400 --format json
expect_rc 0 "prevalence json"
expect_out '"method": "clopper-pearson"' "json method"
expect_out '"estimate": 0.23' "json estimate"
run "$SIREN" stats prevalence --x 92 --n 400
expect_out "0.1914438" "text wilson lower"

# usage errors: exit 2
run "$SIREN" stats prevalence --x 1 --n 0
expect_rc 2 "n = 0"
expect_err "--n" "n = 0 names --n"
run "$SIREN" stats prevalence --x 5 --n 4
expect_rc 2 "x > n"
expect_err "--x" "x > n names --x"
run "$SIREN" stats prevalence --x abc --n 4
expect_rc 2 "x not a number"
run "$SIREN" stats prevalence --x 1 --n 4 --level 1.5
expect_rc 2 "level out of range"
run "$SIREN" stats prevalence --x 1 --n 4 --format xml
expect_rc 2 "bad format"
run "$SIREN" stats prevalence --x 1 --n 4 --bogus 3
expect_rc 2 "unknown option"
expect_err "--bogus" "unknown option named"
run "$SIREN" stats prevalence --x 1
expect_rc 2 "missing --n"
run "$SIREN" stats nosuch
expect_rc 2 "unknown command"
run "$SIREN" stats --help
expect_rc 0 "help"
expect_out "usage: siren stats" "help text"
expect_out "prevalence" "help lists prevalence"
run "$SIREN" stats risk --help
expect_rc 0 "risk --help"

# --- RDS, EXPECTED.md (RDS 0.9-10) ---
FAUX="$SIREN_SHARED/data/rds/rds_fauxmadrona.csv"
run "$SIREN" stats rds "$FAUX" --trait disease --boot 200 --seed 7 --format csv
expect_rc 0 "rds fauxmadrona"
near "$(csv_get RDS-I estimate)" 0.1591981 1e-7 "RDS-I"
near "$(csv_get RDS-II estimate)" 0.1641493 1e-7 "RDS-II"
near "$(info_get s01)" 0.1601124 1e-7 "S01"
near "$(info_get s10)" 0.4776119 1e-7 "S10"
near "$(info_get harmonic_mean_degree_0)" 6.067365 1e-6 "h0"
near "$(info_get harmonic_mean_degree_1)" 10.74251 1e-5 "h1"
near "$(info_get bootstrap_replicates)" 200 0 "bootstrap replicates"
SE1=$(csv_get RDS-I se)
near "$SE1" 0.035 0.025 "RDS-I bootstrap se in a sane band"
run "$SIREN" stats rds "$FAUX" --trait disease --boot 200 --seed 7 --format csv
near "$(csv_get RDS-I se)" "$SE1" 0 "bootstrap repeatable with a seed"
run "$SIREN" stats rds "$FAUX" --trait nosuch
expect_rc 1 "rds missing trait column"
expect_err "'nosuch'" "missing column named"
run "$SIREN" stats rds "$FAUX" --trait disease --id nosuch
expect_rc 1 "rds missing id column"
run "$SIREN" stats rds "$SIREN_SHARED/data/rds/rds_nyjazz.csv" --trait Union.yn.
expect_rc 1 "nyjazz codes 1/2 are not 0/1"
expect_err "line" "nyjazz error names the line"
run "$SIREN" stats rds "$SIREN_SHARED/data/rds/rds_nyjazz.csv" --trait Union.yn. --value 1
expect_rc 0 "nyjazz with --value"
expect_out "RDS-II" "nyjazz estimates"
printf 'id,recruiter.id,network.size,t\na,seed,3,1\nb,a,2,0\nc,zz,2,0\n' > "$T_TMP/badrec.csv"
run "$SIREN" stats rds "$T_TMP/badrec.csv" --trait t
expect_rc 1 "unknown recruiter"
expect_err "line 4" "unknown recruiter line"

# --- survey proportion: the hand-worked design (se = sqrt(1762)/144) ---
cat > "$T_TMP/svy.csv" <<'CSV'
id,trafficked,w,stratum,psu,sex
1,1,2,1,1,m
2,0,2,1,1,f
3,1,1,1,2,f
4,0,3,2,1,m
5,1,3,2,2,f
6,1,1,2,2,m
CSV
run "$SIREN" stats prevalence "$T_TMP/svy.csv" --outcome trafficked --weight w --strata stratum --cluster psu --format csv
expect_rc 0 "survey prevalence"
near "$(csv_get all estimate)" 0.5833333 1e-7 "survey estimate 7/12"
near "$(csv_get all se)" 0.2915013 1e-7 "survey se sqrt(1762)/144"
near "$(csv_get all df)" 2 0 "survey df"
run "$SIREN" stats prevalence "$T_TMP/svy.csv" --outcome trafficked --weight w --strata stratum --cluster psu --by sex --format text
expect_rc 0 "survey by sex"
expect_out "sex" "by sex rows"
# equal weights, no design: p = 4/6, se = sqrt(p(1-p)/(n-1))
run "$SIREN" stats prevalence "$T_TMP/svy.csv" --outcome trafficked --format csv
near "$(csv_get all se)" 0.2108185 1e-7 "srs se sqrt((2/3)(1/3)/5)"
near "$(csv_get all deff)" 1 1e-9 "srs deff 1"
# data errors: exit 1 naming column and line
run "$SIREN" stats prevalence "$T_TMP/svy.csv" --outcome nosuch
expect_rc 1 "missing outcome column"
expect_err "no column 'nosuch'" "missing column message"
run "$SIREN" stats prevalence "$T_TMP/svy.csv" --outcome w
expect_rc 1 "outcome not 0/1"
expect_err "column 'w', line 2" "outcome not 0/1 line"
run "$SIREN" stats prevalence "$T_TMP/svy.csv" --outcome trafficked --weight sex
expect_rc 1 "weight not numeric"
expect_err "column 'sex', line 2" "weight error names column and line"
run "$SIREN" stats prevalence "$T_TMP/svy.csv" --outcome trafficked --strata sex --cluster id --lonely fail
expect_rc 0 "strata by text labels"
run "$SIREN" stats prevalence "$T_TMP/svy.csv" --outcome trafficked --lonely nope
expect_rc 2 "bad --lonely"
printf 'a,b\n1,2\n3,"open\n' > "$T_TMP/bad.csv"
run "$SIREN" stats prevalence "$T_TMP/bad.csv" --outcome a
expect_rc 1 "malformed CSV"
expect_err "line 3" "malformed CSV line"
printf 'a,b\n1,2\n3\n' > "$T_TMP/ragged.csv"
run "$SIREN" stats prevalence "$T_TMP/ragged.csv" --outcome a
expect_rc 1 "ragged CSV"
expect_err "ragged row at line 3" "ragged message"
run "$SIREN" stats prevalence "$T_TMP/nonexistent.csv" --outcome a
expect_rc 1 "missing file"
expect_err "cannot open" "missing file message"
printf 'a,b\n' > "$T_TMP/empty.csv"
run "$SIREN" stats prevalence "$T_TMP/empty.csv" --outcome a
expect_rc 1 "no data rows"

# --- risk: a 2x2 table a=30 b=20 c=15 d=35, OR = ad/bc = 3.5,
#     Wald SE of log OR = sqrt(1/30+1/20+1/15+1/35) = 0.4225771 ---
awk 'BEGIN { print "id,trafficked,exposed,sex";
    for (i = 0; i < 100; i++) {
        e = i < 50 ? "yes" : "no";
        y = (i < 30 || (i >= 50 && i < 65)) ? 1 : 0;
        print i "," y "," e "," (i % 2 ? "f" : "m") } }' > "$T_TMP/t22.csv"
run "$SIREN" stats risk "$T_TMP/t22.csv" --outcome trafficked --predictors exposed --ref exposed=no --profile --format csv
expect_rc 0 "risk 2x2"
near "$(csv_get exposed=yes odds_ratio)" 3.5 1e-6 "OR = ad/bc"
near "$(csv_get exposed=yes se)" 0.4225771 1e-7 "Wald SE"
near "$(csv_get exposed=yes wald_lower)" 1.528867 1e-6 "Wald lower 3.5 exp(-1.959964 se)"
run "$SIREN" stats risk "$T_TMP/t22.csv" --outcome trafficked --predictors exposed,sex --format json
expect_rc 0 "risk json"
expect_out '"term": "exposed=yes"' "default reference is 'no' (byte order)"
expect_out '"test": "likelihood-ratio"' "LR tests"
run "$SIREN" stats risk "$T_TMP/t22.csv" --outcome trafficked --predictors exposed --ref exposed=maybe
expect_rc 1 "unknown reference level"
expect_err "'maybe'" "unknown reference named"
run "$SIREN" stats risk "$T_TMP/t22.csv" --outcome trafficked --predictors exposed --ref sex=f
expect_rc 2 "--ref for a non-predictor"
run "$SIREN" stats risk "$T_TMP/t22.csv" --outcome trafficked --predictors nosuch
expect_rc 1 "risk missing predictor"
expect_err "'nosuch'" "missing predictor named"
# separation: every exposed=yes row trafficked
awk 'BEGIN { print "trafficked,exposed";
    for (i = 0; i < 60; i++) print ((i < 20 || i >= 40 && i < 50) ? 1 : 0) "," (i < 20 ? "yes" : "no") }' > "$T_TMP/sep.csv"
run "$SIREN" stats risk "$T_TMP/sep.csv" --outcome trafficked --predictors exposed
expect_rc 1 "separation"
expect_err "separation by predictor 'exposed'" "separation names predictor"
expect_no "odds_ratio" "no silly numbers on separation"
# predictor cells: plain decimals (converted without strtod) and the same
# numbers written with exponents (strtod) give the same fit, digit for digit
awk 'BEGIN { print "y,age"; for (i = 0; i < 40; i++)
    printf "%d,%.2f\n", (i % 3 == 0 || i > 30), 18 + i * 0.75 }' > "$T_TMP/plain.csv"
awk -F, 'NR == 1 { print; next } { printf "%s,%se0\n", $1, $2 }' \
    "$T_TMP/plain.csv" > "$T_TMP/expo.csv"
run "$SIREN" stats risk "$T_TMP/plain.csv" --outcome y --predictors age --format csv
expect_rc 0 "risk plain decimals"
PLAIN_OUT=$OUT
run "$SIREN" stats risk "$T_TMP/expo.csv" --outcome y --predictors age --format csv
expect_rc 0 "risk exponent form"
if [ "$OUT" = "$PLAIN_OUT" ]; then ok; else not_ok "plain and exponent cells differ"; fi
# a number below double's range in a column of numbers: an error naming
# the line; a number above it makes the column categorical
printf 'y,age\n1,20\n0,30\n1,1e-400\n0,25\n' > "$T_TMP/range.csv"
run "$SIREN" stats risk "$T_TMP/range.csv" --outcome y --predictors age
expect_rc 1 "underflowing cell"
expect_err "column 'age', line 4: not a number" "underflow names line"
printf 'y,age\n1,20\n0,1e400\n1,20\n0,1e400\n1,1e400\n0,20\n' > "$T_TMP/big.csv"
run "$SIREN" stats risk "$T_TMP/big.csv" --outcome y --predictors age --format csv
expect_rc 0 "overflowing cell"
expect_out "age=20" "overflow makes the column categorical"

done_testing stats_survey
