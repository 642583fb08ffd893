/*
 * admin_cli.h - the workspace's own commands: `siren init`, `demo`,
 * `serve`, `migrate`, `passphrase`, `unlock`, `lock`, `user ...`, `audit ...`, and the
 * tables and version the binary prints (`routes`, `policy`, `version`).
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#ifndef SR_ADMIN_CLI_H
#define SR_ADMIN_CLI_H

#include "cli/cli.h"
#include "base/vault.h"

/*
 * The handlers of these rows of the command table (commands.c). Each takes
 * the open workspace when its row opens one (else NULL; the handlers that
 * check options first open it themselves, or make it) and the row's parsed
 * command line; prints results on stdout and reasons on stderr. Returns an
 * enum cli_exit: 0 done, 1 refused or failed, 2 usage. Not thread-safe
 * (stdio, the terminal).
 */
cli_handler_fn admin_cli_init, admin_cli_demo, admin_cli_serve,
    admin_cli_migrate, admin_cli_passphrase, admin_cli_user_list;
/* `unlock [--for DURATION]`: the key-encryption key into the session
 * keyring (base/keyring.h); `lock`: out of it */
cli_handler_fn admin_cli_unlock, admin_cli_lock;
/* `user add NAME` and `user passwd NAME`: the password from
 * --password-file F, SIREN_USER_PASSWORD, or asked twice on the terminal */
cli_handler_fn admin_cli_user_password, admin_cli_user_role;
/* session list, session end ID */
cli_handler_fn admin_cli_session;
/* `user disable NAME` and `user enable NAME` */
cli_handler_fn admin_cli_user_disable, admin_cli_audit_list, admin_cli_routes,
    admin_cli_policy, admin_cli_version;

/*
 * The --kdf value s (NULL: moderate) of init, demo, passphrase and rekey
 * into *out. 0, or -1 after printing the usage error.
 */
int admin_cli_kdf(const char *s, enum vault_kdf *out);

#endif
