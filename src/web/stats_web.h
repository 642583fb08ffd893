/*
 * stats_web.h - the evidence pages (/stats...) and their JSON API
 * (/api/v1/datasets, /api/v1/analyses): handlers for routes.c.
 *
 * Each takes (req, resp) and returns SR_OK or an error the dispatcher
 * turns into a 500. No page shows row-level data.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_STATS_WEB_H
#define SR_STATS_WEB_H

#include "web/web.h"

/* GET /stats: data sets, recent analyses, the import form (survey.manage). */
handler_fn web_stats;
/* POST /stats/datasets: form fields name, csv, dictionary, identifying
 * (refuse|drop|keep); 303 to the data set, or the page with the error
 * (400, 403 identifying refused, 409 name taken, 413 too large). */
handler_fn web_stats_import;
/* GET /stats/datasets/{id}: dictionary, counts, hash, analyses. */
handler_fn web_stats_dataset;
/* POST /stats/datasets/{id}/delete: field reason; 303 to /stats. */
handler_fn web_stats_dataset_delete;
/* GET /stats/analyses/new: one form per method. */
handler_fn web_stats_new;
/* POST /stats/analyses: method, dataset and the method's options; 303 to
 * the analysis or the form with the error (400). */
handler_fn web_stats_run;
/* GET /stats/analyses/{id}: the record and its result tables (forest plot
 * for risk factors). */
handler_fn web_stats_analysis;
/* GET /api/v1/datasets: {"datasets": [...]}. */
handler_fn api_datasets;
/* POST /api/v1/datasets: {name, csv, dictionary?, identifying?} -> 201. */
handler_fn api_dataset_import;
/* POST /api/v1/analyses: {method, dataset (id, name or code), options,
 * seed?} -> 201 with the record and result. */
handler_fn api_analysis_run;
/* GET /api/v1/analyses/{id}. */
handler_fn api_analysis_get;

#endif
