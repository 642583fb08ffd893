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
int web_stats(struct req *req, struct resp *resp);
/* POST /stats/datasets: form fields name, csv, dictionary, identifying
 * (refuse|drop|keep); 303 to the data set, or the page with the error
 * (400, 403 identifying refused, 409 name taken, 413 too large). */
int web_stats_import(struct req *req, struct resp *resp);
/* GET /stats/datasets/{id}: dictionary, counts, hash, analyses. */
int web_stats_dataset(struct req *req, struct resp *resp);
/* POST /stats/datasets/{id}/delete: field reason; 303 to /stats. */
int web_stats_dataset_delete(struct req *req, struct resp *resp);
/* GET /stats/analyses/new: one form per method. */
int web_stats_new(struct req *req, struct resp *resp);
/* POST /stats/analyses: method, dataset and the method's options; 303 to
 * the analysis or the form with the error (400). */
int web_stats_run(struct req *req, struct resp *resp);
/* GET /stats/analyses/{id}: the record and its result tables (forest plot
 * for risk factors). */
int web_stats_analysis(struct req *req, struct resp *resp);
/* GET /api/v1/datasets: {"datasets": [...]}. */
int api_datasets(struct req *req, struct resp *resp);
/* POST /api/v1/datasets: {name, csv, dictionary?, identifying?} -> 201. */
int api_dataset_import(struct req *req, struct resp *resp);
/* POST /api/v1/analyses: {method, dataset (id, name or code), options,
 * seed?} -> 201 with the record and result. */
int api_analysis_run(struct req *req, struct resp *resp);
/* GET /api/v1/analyses/{id}. */
int api_analysis_get(struct req *req, struct resp *resp);

#endif
