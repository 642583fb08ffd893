/*
 * vocab.h - fixed lists of values (channels, categories, sectors...): a
 * stored code and a label msgid each, so the lists are translated with
 * the rest of the interface.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_VOCAB_H
#define SR_VOCAB_H

struct vocab_item {
    const char *code;  /* stored value, [a-z0-9_] (or [A-Z0-9]) */
    const char *label; /* English label, the msgid for translation */
};

/* Index of code in the NULL-code-terminated list, or -1. */
int vocab_find(const struct vocab_item *list, const char *code);

/* Label msgid of code in list, or "" when absent. */
const char *vocab_label(const struct vocab_item *list, const char *code);

/* Number of items before the terminator. */
int vocab_count(const struct vocab_item *list);

/* The lists themselves are data (data/lists/<folder>/<module>.tsv):
 * tools/lists-gen turns them into the tables of the generated lists.c and
 * declares them in lists.h, included here so that every user of a list
 * sees its declaration. vocab_languages (data/lists/core/vocab.tsv) holds
 * the ISO 639 codes of the languages callers and clients use in the
 * region. */
#include "lists.h"

#endif
