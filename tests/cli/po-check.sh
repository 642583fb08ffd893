#!/usr/bin/env bash
# tools/po-check on a made-up tree: all six languages besides English must
# translate every string; a msgstr with other printf conversions than its
# msgid fails; a msgid holding a glossary term must use the language's
# term for it (longest term first, English plurals allowed); review marks
# are counted, go stale when the msgstr changes, and a malformed one fails.
# The translations are stand-ins ("<lang>:victim" ...): the rules, not the
# languages, are under test.
# SPDX-License-Identifier: AGPL-3.0-or-later
. "$(dirname "$0")/lib.sh"

CHECK="$(cd "$(dirname "$0")/../.." && pwd)/tools/po-check"
R="$T_TMP/root"
mkdir -p "$R/src/hotline" "$R/src/cases" "$R/po/glossary"
cat > "$R/src/hotline/contact_x.c" <<'C'
static const char *a(void) { return T(r, "Caller phone"); }
C
cat > "$R/src/cases/case_x.c" <<'C'
static const char *b(void) { return T(r, "Victims of trafficking in persons: %d"); }
C
printf '# ids\ntrafficking_in_persons\ttrafficking in persons\ntrafficking\ttrafficking\nvictim\tvictim\n' \
    > "$R/po/glossary/en.tsv"
gl() { # gl LANG: that language's glossary, the stand-in terms
    printf 'trafficking_in_persons\t%s:tip | %s:tip2\tdraft\ntrafficking\t%s:traf\tdraft\nvictim\t%s:victim\tdraft\n' \
        "$1" "$1" "$1" "$1" > "$R/po/glossary/$1.tsv"
}
po() { # po FILE MSGID MSGSTR [MSGID MSGSTR]
    local f=$1; shift
    printf 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n' > "$f"
    while [ $# -ge 2 ]; do
        printf '\nmsgid "%s"\nmsgstr "%s"\n' "$1" "$2" >> "$f"
        shift 2
    done
}
full() { # full LANG: a complete catalogue that follows the glossary
    po "$R/po/$1.po" "Caller phone" "$1 phone" \
        "Victims of trafficking in persons: %d" "$1:victim $1:tip2 %d"
}
for l in my km th lo vi zh; do gl $l; full $l; done

run "$CHECK" --root "$R"
expect_rc 0 "six complete catalogues that follow the glossary"
expect_out "po-check: ok" "ok"
expect_out "po/zh.po: 2/2 source strings translated (100%)" "coverage printed"
expect_out "0 reviewed by a native speaker, 2 awaiting review" "all drafts"

po "$R/po/lo.po" "Caller phone" "lo phone" "Victims of trafficking in persons: %d" ""
run "$CHECK" --root "$R"
expect_rc 1 "a gap outside the hotline pages fails too"
expect_out "po/lo.po: untranslated msgid 'Victims of trafficking in persons: %d'" "lo gap named"

rm "$R/po/lo.po"
run "$CHECK" --root "$R"
expect_rc 1 "a language without a catalogue"
expect_out "po/lo.po: missing" "missing language named"
full lo

po "$R/po/my.po" "Caller phone" "%s" "Victims of trafficking in persons: %d" "my:victim my:tip %d"
run "$CHECK" --root "$R"
expect_rc 1 "conversion mismatch"
expect_out "po/my.po:5: msgstr conversions ['s'] differ from msgid none" "conversion named"
full my

# longest term first: "trafficking in persons" does not also ask for
# th:traf; "Victims" is "victim" with an English plural
po "$R/po/th.po" "Caller phone" "th phone" \
    "Victims of trafficking in persons: %d" "th:tip %d"
run "$CHECK" --root "$R"
expect_rc 1 "a glossary term left out"
expect_out "does not use the glossary's 'victim' (th:victim)" "term and want named"
expect_no "glossary's 'trafficking' " "a longer term's words are not matched again"
po "$R/po/th.po" "Caller phone" "th phone" \
    "Victims of trafficking in persons: %d" "th:victim th:traf %d"
run "$CHECK" --root "$R"
expect_rc 1 "the shorter term's word instead of the longer term's"
expect_out "does not use the glossary's 'trafficking in persons' (th:tip | th:tip2)" "variants listed"
full th

printf 'trafficking_in_persons\tvi:tip\tdraft\ntrafficking\tvi:traf\tdraft\nvictims\tvi:v\tdraft\n' > "$R/po/glossary/vi.tsv"
run "$CHECK" --root "$R"
expect_rc 1 "a glossary with an unknown id and a term left out"
expect_out "po/glossary/vi.tsv:3: unknown term id 'victims'" "unknown id named"
expect_out "po/glossary/vi.tsv: no term for 'victim'" "missing term named"
gl vi

# review marks: a bad date or no reviewer is refused and changes nothing
cp "$R/po/km.po" "$T_TMP/km.before"
run "$CHECK" --review "$R/po/km.po" --by "K. Reviewer" --date 2026-13-07 "Caller phone"
expect_rc 2 "a date that is no date"
expect_err "--date '2026-13-07' is not YYYY-MM-DD" "the bad date named"
run "$CHECK" --review "$R/po/km.po" "Caller phone"
expect_rc 2 "no reviewer named"
expect_err "needs --by NAME" "the missing reviewer named"
if cmp -s "$R/po/km.po" "$T_TMP/km.before"; then ok; else not_ok "a refused review changed the file"; fi
run "$CHECK" --review "$R/po/km.po" --by "K. Reviewer" --date 2026-12-07 "Caller phone" "No such string"
expect_rc 1 "an unknown msgid is named"
expect_err "has no translated msgid 'No such string'" "unknown msgid named"
# the hash: the first 8 hex digits of sha256sum of the msgstr
expect_file_has "# reviewed: 2026-12-07 K. Reviewer sha:$(printf 'km phone' | sha256sum | cut -c1-8)\$" \
    "mark written with the msgstr's hash" "$R/po/km.po"
run "$CHECK" --root "$R" --awaiting km
expect_rc 0 "marks keep the check ok"
expect_out "po/km.po: 2/2 source strings translated (100%); files have 2 of 2 entries translated, 0 not (yet) used in src/; 1 reviewed by a native speaker, 1 awaiting review" "one reviewed"
expect_out "awaiting: po/km.po:" "awaiting listed"
expect_out "'Victims of trafficking in persons: %d'" "the unreviewed one listed"
sed -i 's/^msgstr "km phone"/msgstr "km telephone"/' "$R/po/km.po"
run "$CHECK" --root "$R"
expect_out "0 reviewed by a native speaker, 2 awaiting review (1 changed since reviewed)" "a changed msgstr awaits review again"
sed -i 's/^# reviewed: .*/# reviewed: 2026-13-07 K. Reviewer sha:00000000/' "$R/po/km.po"
run "$CHECK" --root "$R"
expect_rc 1 "a malformed mark fails"
expect_out "review mark is not" "malformed mark named"

done_testing po_check
