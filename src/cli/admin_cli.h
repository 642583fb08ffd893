/*
 * admin_cli.h - the workspace's own commands: `siren init`, `demo`,
 * `serve`, `migrate`, `passphrase`, `user ...`, `audit ...`, and the
 * tables and version the binary prints (`routes`, `policy`, `version`).
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_ADMIN_CLI_H
#define SR_ADMIN_CLI_H

struct ws;
struct cli_args;

/*
 * The handlers of these rows of the command table (commands.c). Each takes
 * the open workspace when its row opens one (else NULL; the handlers that
 * check options first open it themselves, or make it) and the row's parsed
 * command line; prints results on stdout and reasons on stderr. Returns an
 * enum cli_exit: 0 done, 1 refused or failed, 2 usage. Not thread-safe
 * (stdio, the terminal).
 */
int admin_cli_init(struct ws *ws, const struct cli_args *a);
int admin_cli_demo(struct ws *ws, const struct cli_args *a);
int admin_cli_serve(struct ws *ws, const struct cli_args *a);
int admin_cli_migrate(struct ws *ws, const struct cli_args *a);
int admin_cli_passphrase(struct ws *ws, const struct cli_args *a);
int admin_cli_user_list(struct ws *ws, const struct cli_args *a);
/* `user add NAME` and `user passwd NAME`: the password from
 * --password-file F, SIREN_USER_PASSWORD, or asked twice on the terminal */
int admin_cli_user_password(struct ws *ws, const struct cli_args *a);
int admin_cli_user_role(struct ws *ws, const struct cli_args *a);
/* `user disable NAME` and `user enable NAME` */
int admin_cli_user_disable(struct ws *ws, const struct cli_args *a);
int admin_cli_audit_verify(struct ws *ws, const struct cli_args *a);
int admin_cli_audit_list(struct ws *ws, const struct cli_args *a);
int admin_cli_routes(struct ws *ws, const struct cli_args *a);
int admin_cli_policy(struct ws *ws, const struct cli_args *a);
int admin_cli_version(struct ws *ws, const struct cli_args *a);

#endif
