/*
 * cli.h - the command line front door.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_CLI_H
#define SR_CLI_H

/* Run `siren ARGS...`; returns the process exit status. */
int cli_run(int argc, char **argv);

#endif
