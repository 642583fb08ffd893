/*
 * vocab.c - lookups in fixed value lists.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "core/vocab.h"

#include <stddef.h>
#include <string.h>

#include "core/banned.h"

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
