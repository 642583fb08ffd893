/*
 * vocab.c - lookups in fixed value lists.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "core/vocab.h"

#include <stddef.h>
#include <string.h>

#include "core/i18n.h"

#include "core/banned.h"

/* ISO 639 codes of the languages callers use in the region. */
const struct vocab_item vocab_languages[] = {
    { "my", N_("Burmese") },
    { "shn", N_("Shan") },
    { "ksw", N_("S'gaw Karen") },
    { "mnw", N_("Mon") },
    { "km", N_("Khmer") },
    { "lo", N_("Lao") },
    { "th", N_("Thai") },
    { "vi", N_("Vietnamese") },
    { "zh", N_("Chinese") },
    { "ms", N_("Malay") },
    { "id", N_("Indonesian") },
    { "en", N_("English") },
    { "und", N_("Other or unknown") },
    { NULL, NULL },
};

int
vocab_find(const struct vocab_item *list, const char *code)
{
    for (int i = 0; code != NULL && list[i].code != NULL; i++) {
        if (strcmp(list[i].code, code) == 0) {
            return i;
        }
    }
    return -1;
}

const char *
vocab_label(const struct vocab_item *list, const char *code)
{
    int i = vocab_find(list, code);
    return i < 0 ? "" : list[i].label;
}

int
vocab_count(const struct vocab_item *list)
{
    int n = 0;
    while (list[n].code != NULL) {
        n++;
    }
    return n;
}
