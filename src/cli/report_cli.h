/*
 * report_cli.h - `siren report hotline` and `siren event add|list` (the
 * report's CSV and JSON writers are render/report_out.h, shared with the
 * web's /reports/hotline.csv and .json).
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_REPORT_CLI_H
#define SR_REPORT_CLI_H

/*
 * `siren report hotline --from YYYY-MM --to YYYY-MM [--format
 * text|csv|json] [--org CODE] [-w DIR] [--passphrase-file F]`; argv[0]
 * is "hotline". Writes the report to stdout. Exit 0, 1 (error naming the
 * field), 2 (usage).
 */
int report_cli_main(int argc, char **argv);

/*
 * `siren event add DAY --kind KIND --title TITLE --org CODE` and
 * `siren event list [--org CODE] [--from DAY] [--to DAY]`.
 */
int event_cli_main(int argc, char **argv);

#endif
