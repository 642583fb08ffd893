#!/usr/bin/env bash
# tools/po-check on a made-up tree: Burmese must translate everything;
# Khmer and Thai every string of the hotline's pages (src/hotline/ ...),
# while a gap elsewhere (src/cases/) is only counted; a msgstr with other
# printf conversions than its msgid fails in any language.
# SPDX-License-Identifier: AGPL-3.0-or-later
. "$(dirname "$0")/lib.sh"

CHECK="$(cd "$(dirname "$0")/../.." && pwd)/tools/po-check"
R="$T_TMP/root"
mkdir -p "$R/src/hotline" "$R/src/cases" "$R/po"
cat > "$R/src/hotline/contact_x.c" <<'C'
static const char *a(void) { return T(r, "Caller phone"); }
C
cat > "$R/src/cases/case_x.c" <<'C'
static const char *b(void) { return T(r, "Case notes"); }
C
po() { # po FILE MSGID MSGSTR [MSGID MSGSTR]
    local f=$1; shift
    printf 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n' > "$f"
    while [ $# -ge 2 ]; do
        printf '\nmsgid "%s"\nmsgstr "%s"\n' "$1" "$2" >> "$f"
        shift 2
    done
}
po "$R/po/my.po" "Caller phone" "ခေါ်ဆိုသူ ဖုန်း" "Case notes" "အမှု မှတ်စု"
po "$R/po/km.po" "Caller phone" "" "Case notes" ""

run "$CHECK" --root "$R"
expect_rc 1 "km hotline gap"
expect_out "po/km.po: untranslated msgid 'Caller phone'" "km hotline gap named"
expect_no "msgid 'Case notes'" "a gap outside the hotline is not a problem"

po "$R/po/km.po" "Caller phone" "លេខទូរស័ព្ទអ្នកហៅ" "Case notes" ""
po "$R/po/th.po" "Case notes" "บันทึกคดี"
run "$CHECK" --root "$R"
expect_rc 1 "th hotline string missing"
expect_out "po/th.po: missing msgid 'Caller phone'" "th gap named"

po "$R/po/th.po" "Caller phone" "เบอร์โทรผู้โทร"
run "$CHECK" --root "$R"
expect_rc 0 "complete where required"
expect_out "po-check: ok" "ok"

po "$R/po/my.po" "Caller phone" "%s" "Case notes" "အမှု မှတ်စု"
run "$CHECK" --root "$R"
expect_rc 1 "conversion mismatch"
expect_out "msgstr conversions" "conversion named"

done_testing po_check
