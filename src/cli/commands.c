/*
 * commands.c - the command table: every command and subcommand of the
 * siren binary as one row (name, subcommand, policy action, positional
 * words, options, flags, handler, summary). cli.c parses, checks and
 * prints usage from it; the *_cli.c files hold the handlers.
 *
 * Owns only this table. Must not hold code: a new command is a row here
 * and a handler in its module's *_cli.c. Rows are positional so that a
 * row without its action does not compile.
 */
/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "cli/commands.h"

#include <stddef.h>

#include "cli/admin_cli.h"
#include "cli/audit_cli.h"
#include "cli/backup_cli.h"
#include "cli/case_cli.h"
#include "cli/cli.h"
#include "cli/contact_cli.h"
#include "cli/justice_cli.h"
#include "cli/mse_cli.h"
#include "cli/org_cli.h"
#include "cli/referral_cli.h"
#include "cli/rekey_cli.h"
#include "cli/report_cli.h"
#include "cli/stats_cli.h"
#include "cli/survey_cli.h"
#include "core/banned.h"

/* an option with a value, a required one, a flag; the end of a list */
#define VAL(name, value, help)     \
    {                              \
        name, NULL, value, help, 0 \
    }
#define REQ(name, value, help)     \
    {                              \
        name, NULL, value, help, 1 \
    }
#define FLAG(name, help)          \
    {                             \
        name, NULL, NULL, help, 0 \
    }
#define END                       \
    {                             \
        NULL, NULL, NULL, NULL, 0 \
    }
/* every command that opens a workspace */
#define WS                                                                    \
    { "--workspace", "-w", "DIR", "the workspace (default: SIREN_WORKSPACE)", \
      0 },                                                                    \
        VAL("--passphrase-file", "F", "read the workspace passphrase from F")

static const struct cli_option ws_only[] = { WS, END };

/* ---- workspace, users, organisations, audit ----------------------------- */

#define KDF                                        \
    VAL("--kdf", "interactive|moderate|sensitive", \
        "cost of the passphrase's key derivation (default moderate)")

#define STORE                                                             \
    VAL("--store", "postgresql://HOST/DB",                                \
        "keep the tables in this PostgreSQL database (default: siren.db " \
        "in DIR)")

static const struct cli_option init_options[] = { KDF, STORE, WS, END };
static const struct cli_option store_copy_options[] = {
    REQ("--to", "postgresql://HOST/DB|sqlite",
        "the empty store to move the workspace into"),
    WS,
    END,
};
static const struct cli_option demo_options[] = {
    VAL("--seed", "N", "seed of the synthetic data (default 1)"),
    VAL("--contacts", "N", "add N synthetic hotline contacts"),
    KDF,
    STORE,
    WS,
    END,
};
static const struct cli_option serve_options[] = {
    VAL("--listen", "ADDR:PORT", "where to listen (default: the workspace's)"),
    VAL("--threads", "N",
        "worker threads, 1 to 256 (default 4 a CPU, 8 to 64)"),
    VAL("--body-timeout-ms", "MS", "time to send a request body"),
    WS,
    END,
};
static const struct cli_option rekey_options[] = {
    KDF,
    VAL("--batch", "N", "rows rewritten per transaction (default 1000)"),
    WS,
    END,
};
static const struct cli_option unlock_options[] = {
    VAL("--for", "DURATION",
        "keep the key this long: 90s, 15m, 2h... (default 15m, at most 12h)"),
    WS,
    END,
};
static const struct cli_option lock_options[] = {
    { "--workspace", "-w", "DIR", "the workspace (default: SIREN_WORKSPACE)",
      0 },
    END,
};
static const struct cli_option passphrase_options[] = {
    VAL("--new-passphrase-file", "F",
        "read the new passphrase from F (default: SIREN_NEW_PASSPHRASE, or "
        "asked)"),
    KDF,
    WS,
    END,
};
#define PASSWORD_FILE           \
    VAL("--password-file", "F", \
        "read the user's password from F (default: asked twice)")
static const struct cli_option user_add_options[] = {
    VAL("--org", "CODE", "the user's organisation"),
    VAL("--role", "ROLE", "the user's role (see 'siren policy')"),
    PASSWORD_FILE,
    WS,
    END,
};
static const struct cli_option user_passwd_options[] = { PASSWORD_FILE, WS,
                                                         END };
static const struct cli_option org_add_options[] = {
    VAL("--kind", "KIND", "ngo, government, ... (default ngo)"),
    VAL("--country", "CC", "ISO country code"),
    WS,
    END,
};
static const struct cli_option org_profile_options[] = {
    VAL("--provinces", "P1,P2", "provinces served (TH-90,TH-91)"),
    VAL("--languages", "L1,L2", "languages spoken (my,th)"),
    VAL("--services", "S1,S2", "services offered (legal_aid,shelter)"),
    VAL("--emergency", "0|1", "takes emergency referrals"),
    VAL("--contact-file", "F", "read the contact details from F"),
    VAL("--emergency-phone", "N",
        "the emergency line, e.g. 074 123 4567 (\"\" clears)"),
    WS,
    END,
};
static const struct cli_option org_search_options[] = {
    VAL("--province", "P", "serving province P"),
    VAL("--language", "L", "speaking language L"),
    VAL("--service", "S", "offering service S"),
    VAL("--emergency", "1", "taking emergency referrals"),
    WS,
    END,
};
static const struct cli_option audit_verify_options[] = {
    FLAG("--full", "walk every row, not only those after the last check"),
    WS,
    END,
};

static const struct cli_option audit_list_options[] = {
    VAL("--user", "ID", "rows of user ID"),
    VAL("--action", "A", "rows whose action starts with A"),
    VAL("--record-type", "T", "rows about records of type T"),
    VAL("--record", "CODE", "rows about record CODE"),
    VAL("--from", "DATE", "from DATE (YYYY-MM-DD[THH:MM:SSZ])"),
    VAL("--to", "DATE", "to DATE, included"),
    VAL("--limit", "N", "at most N rows, 1 to 1000"),
    WS,
    END,
};

/* ---- backup and restore (backup_cli.c) ------------------------------------ */

static const struct cli_option restore_options[] = {
    VAL("--passphrase-file", "F",
        "read the passphrase of the archive's workspace from F"),
    VAL("--workspace-id", "ID",
        "refuse an archive of any other workspace than ID"),
    END,
};

/* ---- referrals ---------------------------------------------------------- */

static const struct cli_option referral_send_options[] = {
    REQ("--to", "ORG", "the organisation referred to"),
    REQ("--service", "S", "the service asked for"),
    REQ("--urgency", "U", "how urgent"),
    VAL("--note-file", "F", "read the note from F"),
    VAL("--as-org", "ORG", "the organisation that refers"),
    WS,
    END,
};
static const struct cli_option referral_list_options[] = {
    VAL("--status", "S", "in status S"),
    FLAG("--overdue", "overdue only"),
    VAL("--org", "ORG", "sent by or to ORG"),
    WS,
    END,
};
static const struct cli_option referral_answer_options[] = {
    REQ("--status", "S", "the answer"),
    VAL("--reason", "R", "why"),
    WS,
    END,
};

/* ---- hotline contacts --------------------------------------------------- */

#define CONTACT_ORG VAL("--org", "CODE", "act for organisation CODE")
#define CONTACT_FILTERS                                                 \
    VAL("--from", "DATE", "from DATE"), VAL("--to", "DATE", "to DATE"), \
        VAL("--category", "C", "in category C"),                        \
        VAL("--issue", "I", "with issue I"),                            \
        VAL("--sector", "S", "in sector S"),                            \
        VAL("--province", "XX-NN", "about province XX-NN"),             \
        VAL("--language", "L", "in language L"),                        \
        VAL("--channel", "C", "through channel C"),                     \
        VAL("--operator", "USER", "taken by USER"),                     \
        VAL("--danger", "yes|no", "whether someone is in danger"),      \
        VAL("--limit", "N", "at most N contacts"),                      \
        VAL("--after", "CURSOR", "the page after CURSOR")
static const struct cli_option contact_add_options[] = {
    REQ("--org", "CODE", "act for organisation CODE"),
    VAL("--channel", "C", "phone, sms, chat, walk_in, ..."),
    VAL("--language", "L", "the caller's language"),
    VAL("--caller-type", "T", "who called"),
    VAL("--category", "C", "what the contact is about"),
    VAL("--at", "'YYYY-MM-DD HH:MM'", "when (default now)"),
    VAL("--caller-country", "CC", "where the caller is"),
    VAL("--caller-province", "XX-NN", "where the caller is"),
    VAL("--problem-country", "CC", "where the problem is"),
    VAL("--problem-province", "XX-NN", "where the problem is"),
    VAL("--issues", "a;b", "issues raised"),
    VAL("--sector", "S", "sector of work"),
    VAL("--affected", "N", "people affected"),
    VAL("--danger", "yes|no", "whether someone is in danger"),
    VAL("--duration-s", "N", "length of the call in seconds"),
    VAL("--consent", "ngo;police;research", "what the caller consents to"),
    VAL("--identity-file", "F|-",
        "read phone=, caller_place=, problem_place=, summary=, needs=, "
        "action_taken= lines from F"),
    WS,
    END,
};
static const struct cli_option contact_list_options[] = {
    CONTACT_ORG,
    CONTACT_FILTERS,
    VAL("--format", "text|csv|json", "output (default text)"),
    WS,
    END,
};
static const struct cli_option contact_show_options[] = {
    CONTACT_ORG,
    FLAG("--identity", "show the identity fields too (audited)"),
    WS,
    END,
};
static const struct cli_option contact_import_options[] = {
    REQ("--org", "CODE", "act for organisation CODE"),
    FLAG("--skip-invalid", "import the valid rows, skip the others"),
    VAL("--reject-file", "F", "write the skipped rows to F"),
    VAL("--batch", "N", "rows per transaction, 1 to 100000"),
    WS,
    END,
};
static const struct cli_option contact_export_options[] = {
    CONTACT_ORG,
    CONTACT_FILTERS,
    VAL("--format", "csv|xlsx", "output (default csv)"),
    FLAG("--identity", "export the identity fields too (audited)"),
    VAL("--out", "FILE", "write to FILE (default standard output)"),
    WS,
    END,
};
static const struct cli_option contact_delete_options[] = {
    CONTACT_ORG,
    VAL("--reason", "TEXT", "why"),
    WS,
    END,
};

/* ---- statistics (no workspace) ------------------------------------------ */

#define STATS_COMMON                                                 \
    VAL("--level", "L", "interval level, 0 < L < 1 (default 0.95)"), \
        VAL("--format", "text|csv|json", "output (default text)")
#define STATS_DESIGN                                                           \
    VAL("--weight", "COL", "sampling weights"),                                \
        VAL("--strata", "COL", "strata"), VAL("--cluster", "COL", "clusters"), \
        VAL("--fpc", "COL", "finite population correction"),                   \
        VAL("--lonely", "adjust|certainty|fail", "lonely PSUs")
static const struct cli_option prevalence_options[] = {
    VAL("--x", "X", "binomial intervals for X of N (without FILE)"),
    VAL("--n", "N", "the N of --x"),
    VAL("--outcome", "COL", "the 0/1 column (with FILE)"),
    STATS_DESIGN,
    VAL("--by", "COL", "one row per subgroup of COL"),
    STATS_COMMON,
    END,
};
static const struct cli_option risk_options[] = {
    VAL("--outcome", "COL", "the 0/1 outcome"),
    VAL("--predictors", "A,B,...", "the predictors"),
    VAL("--ref", "COL=LEVEL,...", "reference levels"),
    VAL("--categorical", "A,...", "predictors taken as categorical"),
    STATS_DESIGN,
    FLAG("--profile", "profile-likelihood intervals too"),
    STATS_COMMON,
    END,
};
static const struct cli_option rds_options[] = {
    VAL("--trait", "COL", "the trait (0/1, or 1 where it equals --value)"),
    VAL("--value", "V", "the trait's value counted"),
    VAL("--id", "COL", "respondent ids (default id)"),
    VAL("--recruiter", "COL", "recruiter ids (default recruiter.id)"),
    VAL("--degree", "COL", "network sizes (default network.size)"),
    VAL("--boot", "N", "bootstrap replicates"),
    VAL("--seed", "S", "bootstrap seed"),
    VAL("--missing-degree", "drop|median|mean", "missing network sizes"),
    STATS_COMMON,
    END,
};
static const struct cli_option mse_options[] = {
    VAL("--method", "stepwise|models|fit",
        "model choice (default stepwise; fit when --model is given)"),
    VAL("--max-order", "N", "models: highest interaction order (default 3)"),
    FLAG("--two-way", "models: interactions of two lists only"),
    VAL("--rank", "aic|bic", "models: ranking criterion (default bic)"),
    VAL("--top", "N", "models: rows to print (default 10, 0 = all)"),
    VAL("--model", "\"[123,14,34]\"", "fit: generating classes"),
    VAL("--threshold", "P", "stepwise: p-value threshold (default 0.02)"),
    VAL("--alpha", "A", "1 - confidence level (default 0.05)"),
    VAL("--bootstrap", "B", "stepwise: BCa bootstrap with B replicates"),
    VAL("--seed", "S", "bootstrap seed (default 1)"),
    VAL("--threads", "N", "threads (default: all cores)"),
    VAL("--format", "text|csv|json", "output (default text)"),
    END,
};

/* ---- reports and events ------------------------------------------------- */

static const struct cli_option hotline_options[] = {
    REQ("--from", "YYYY-MM", "the first month"),
    REQ("--to", "YYYY-MM", "the last month"),
    VAL("--format", "text|csv|json", "output (default text)"),
    VAL("--org", "CODE", "one organisation's contacts"),
    WS,
    END,
};
static const struct cli_option funnel_options[] = {
    VAL("--period", "half|quarter|year", "period of a row (default half)"),
    VAL("--by", "legal_aid|exploitation|industry|province", "groups"),
    VAL("--from", "YYYY-MM-DD", "cases identified from"),
    VAL("--to", "YYYY-MM-DD", "cases identified to, included"),
    VAL("--org", "ORG", "one organisation's cases"),
    VAL("--format", "text|csv|json", "output (default text)"),
    WS,
    END,
};
static const struct cli_option event_add_options[] = {
    REQ("--kind", "KIND", "campaign, broadcast, registration or other"),
    REQ("--title", "TEXT", "what it was"),
    REQ("--org", "CODE", "whose event"),
    WS,
    END,
};
static const struct cli_option event_list_options[] = {
    VAL("--org", "CODE", "one organisation's events"),
    VAL("--from", "YYYY-MM-DD", "from"),
    VAL("--to", "YYYY-MM-DD", "to"),
    WS,
    END,
};

/* ---- cases, people, consent, duplicates --------------------------------- */

#define CASE_ATTRIBUTES                                                \
    VAL("--trafficking-status", "S", "trafficking status"),            \
        VAL("--decided-by", "WHO", "who decided the status"),          \
        VAL("--exploitation", "A,B", "forms of exploitation"),         \
        VAL("--industry", "I", "industry"),                            \
        VAL("--sex-exploitation", "T", "type of sexual exploitation"), \
        VAL("--control", "A,B", "control methods"),                    \
        VAL("--recruitment-method", "M", "how recruited"),             \
        VAL("--recruitment-sites", "S", "where recruited"),            \
        VAL("--recruit-province", "P", "province of recruitment"),     \
        VAL("--recruit-date", "DATE", "date of recruitment"),          \
        VAL("--transit-province", "P", "province of transit"),         \
        VAL("--exploit-province", "P", "province of exploitation"),    \
        VAL("--exploit-from", "DATE", "exploited from"),               \
        VAL("--exploit-to", "DATE", "exploited to"),                   \
        VAL("--legal-aid", "ORG", "legal aid organisation")
static const struct cli_option case_open_options[] = {
    REQ("--org", "CODE", "the organisation holding the case"),
    VAL("--contacts", "C1,C2", "hotline contacts of the case"),
    CASE_ATTRIBUTES,
    WS,
    END,
};
static const struct cli_option case_update_options[] = { CASE_ATTRIBUTES, WS,
                                                         END };
static const struct cli_option case_list_options[] = {
    VAL("--status", "S", "in status S"),
    VAL("--trafficking-status", "S", "with trafficking status S"),
    VAL("--limit", "N", "at most N, 1 to 500 (default 50)"),
    WS,
    END,
};
static const struct cli_option case_status_options[] = {
    VAL("--reason", "R", "why (closing)"),
    WS,
    END,
};
static const struct cli_option case_note_options[] = {
    REQ("--text-file", "F|-", "read the note from F"),
    WS,
    END,
};
static const struct cli_option case_support_options[] = {
    VAL("--service", "S", "the service"),
    VAL("--person", "P", "for person P"),
    VAL("--org", "PROVIDER", "provided by"),
    VAL("--planned", "DATE", "planned for"),
    VAL("--status", "S", "its status"),
    WS,
    END,
};
static const struct cli_option person_add_options[] = {
    REQ("--role", "ROLE", "the person's role in the case"),
    VAL("--name-file", "F|-", "read the name from F"),
    VAL("--identity-file", "F|-", "read identity key=value lines from F"),
    VAL("--gender", "G", "gender"),
    VAL("--birth-year", "Y", "year of birth"),
    VAL("--age-trafficked", "N", "age when trafficked"),
    VAL("--citizenship", "CC", "citizenship"),
    VAL("--languages", "L1,L2", "languages"),
    VAL("--education", "E", "education"),
    WS,
    END,
};
static const struct cli_option person_show_options[] = {
    FLAG("--identity", "show the identity too (audited)"),
    WS,
    END,
};
static const struct cli_option person_link_options[] = {
    REQ("--role", "ROLE", "the person's role in the case"),
    WS,
    END,
};
static const struct cli_option consent_set_options[] = {
    REQ("--purpose", "P",
        "services, share_ngo, share_police, research, "
        "family_tracing"),
    REQ("--state", "S", "given, declined, withdrawn"),
    WS,
    END,
};
static const struct cli_option dup_list_options[] = {
    VAL("--state", "S", "in state S (default suggested)"),
    WS,
    END,
};

/* ---- justice and offenders ---------------------------------------------- */

static const struct cli_option justice_add_options[] = {
    REQ("--stage", "KIND", "the kind of event"),
    REQ("--date", "YYYY-MM-DD", "when"),
    VAL("--agency", "ORG", "the agency (or --agency-kind)"),
    VAL("--agency-kind", "KIND", "the kind of agency"),
    VAL("--reason", "R", "why"),
    VAL("--perpetrators", "E1,E2", "the offenders concerned"),
    WS,
    END,
};
static const struct cli_option entity_add_options[] = {
    REQ("--org", "ORG", "the organisation recording it"),
    REQ("--kind", "KIND", "person, business, ... or a role (broker)"),
    REQ("--name-file", "F|-", "read the name from F"),
    VAL("--phone-file", "F", "read phone numbers from F"),
    VAL("--roles", "R1,R2", "roles"),
    VAL("--country", "CC", "country"),
    WS,
    END,
};
#define EVIDENCE                                          \
    VAL("--source", "S", "where the link is known from"), \
        VAL("--confidence", "low|medium|high", "how sure")
static const struct cli_option entity_link_options[] = {
    REQ("--kind", "KIND", "the kind of link"),
    EVIDENCE,
    WS,
    END,
};
static const struct cli_option entity_case_options[] = {
    REQ("--role", "ROLE", "the offender's role in the case"),
    EVIDENCE,
    WS,
    END,
};
static const struct cli_option entity_show_options[] = {
    FLAG("--identity", "show the name and details too (audited)"),
    WS,
    END,
};
static const struct cli_option entity_list_options[] = {
    FLAG("--ranked", "most harmful first"),
    VAL("--limit", "N", "at most N, 1 to 1000 (default 100)"),
    WS,
    END,
};
static const struct cli_option entity_network_options[] = {
    VAL("--format", "text|json", "output (default text)"),
    WS,
    END,
};

/* ---- survey data sets and analyses -------------------------------------- */

static const struct cli_option survey_import_options[] = {
    REQ("--name", "NAME", "the data set's name"),
    VAL("--dictionary", "DICT.csv", "its data dictionary"),
    FLAG("--drop-identifying", "drop identifying columns"),
    FLAG("--keep-identifying", "keep identifying columns"),
    WS,
    END,
};
static const struct cli_option survey_delete_options[] = {
    REQ("--reason", "TEXT", "why"),
    WS,
    END,
};
static const struct cli_option analysis_run_options[] = {
    REQ("--dataset", "NAME", "the data set"),
    VAL("--seed", "S", "seed, 1 to 4294967295"),
    VAL("--format", "text|json", "output (default text)"),
    WS,
    END,
};
static const struct cli_option analysis_list_options[] = {
    VAL("--dataset", "NAME", "analyses of one data set"),
    WS,
    END,
};
static const struct cli_option analysis_show_options[] = {
    VAL("--format", "text|json", "output (default text)"),
    WS,
    END,
};

/* ---- the table ---------------------------------------------------------- */

#define W  CLI_WORKSPACE
#define WO (CLI_WORKSPACE | CLI_ACT_FOR_ORG)
#define AL ACT_LOCAL
#define AP ACT_PUBLIC

const struct cli_command cli_commands[] = {
    /* name, sub, action, positional words, options, flags, handler,
     * summary[, notes] */
    { "init", NULL, AL, "[DIR]", init_options, 0, admin_cli_init,
      "make a new workspace in DIR", NULL },
    { "demo", NULL, AL, "[DIR]", demo_options, 0, admin_cli_demo,
      "make a workspace of synthetic demo data in DIR", NULL },
    { "serve", NULL, AL, NULL, serve_options, W, admin_cli_serve,
      "serve the web interface and API", NULL },
    { "migrate", NULL, AL, NULL, ws_only, 0, admin_cli_migrate,
      "apply pending schema migrations", NULL },
    { "passphrase", NULL, AL, NULL, passphrase_options, 0, admin_cli_passphrase,
      "re-wrap the data key under a new passphrase", NULL },
    { "unlock", NULL, AL, NULL, unlock_options, 0, admin_cli_unlock,
      "derive the key once and keep it in the session keyring",
      "Asks for the passphrase, derives the key that opens the key file "
      "(Argon2id) and\nkeeps it in the login session's keyring for "
      "DURATION, readable only by this\nsession. Commands on this "
      "workspace then open it without the passphrase or\nthe derivation; "
      "SIREN_PASSPHRASE and --passphrase-file still win. A key that\nno "
      "longer opens the key file (new passphrase, rekey) is removed and "
      "the\npassphrase asked for. 'siren passphrase' always asks for the "
      "current one.\n" },
    { "lock", NULL, AL, NULL, lock_options, 0, admin_cli_lock,
      "remove the key 'siren unlock' kept for the workspace", NULL },
    { "rekey", NULL, AL, NULL, rekey_options, 0, rekey_cli_run,
      "make a new data key and re-encrypt everything under it",
      "Every encrypted field, blind index and audit row is rewritten under "
      "a new data\nkey wrapped under the same passphrase; the old key file "
      "is replaced at the end.\nThe workspace must not be in use. Killed "
      "half way, other commands refuse\nthe workspace until 'siren rekey' "
      "is run again and finishes.\n" },

    { "backup", NULL, AL, "DEST", ws_only, W, backup_cli_backup,
      "write an encrypted archive of the workspace to DEST",
      "An online copy of the database with the key file and settings, "
      "encrypted and\nauthenticated as one file; restore it with 'siren "
      "restore'.\n" },
    { "restore", NULL, AL, "ARCHIVE DIR", restore_options, 0,
      backup_cli_restore, "restore an archive into the new directory DIR",
      "Refuses a non-empty DIR, a changed or truncated archive, another "
      "workspace's\narchive (--workspace-id) or a wrong passphrase, "
      "changing nothing.\n" },

    { "store", NULL, AL, NULL, NULL, 0, NULL,
      "move the workspace's database between SQLite and PostgreSQL", NULL },
    { "store", "copy", AL, NULL, store_copy_options, W, backup_cli_store_copy,
      "copy every table into an empty store, check it, and use it",
      "Copies into an empty PostgreSQL database (--to postgresql://...) "
      "or back into\nsiren.db (--to sqlite); compares every table's rows "
      "and digest and verifies\nthe audit chain before siren.conf names "
      "the new store. Stop the server first.\nThe PostgreSQL password "
      "comes from PGPASSWORD, PGPASSFILE or ~/.pgpass.\n" },

    { "user", NULL, AL, NULL, NULL, 0, NULL,
      "add, list, disable, enable users; set password or role", NULL },
    { "user", "add", AL, "NAME", user_add_options, W, admin_cli_user_password,
      "add a user", NULL },
    { "user", "list", AL, NULL, ws_only, W, admin_cli_user_list,
      "list the users", NULL },
    { "user", "disable", AL, "NAME", ws_only, W, admin_cli_user_disable,
      "stop a user signing in", NULL },
    { "user", "enable", AL, "NAME", ws_only, W, admin_cli_user_disable,
      "let a disabled user sign in again", NULL },
    { "user", "unlock", AL, "NAME", ws_only, W, admin_cli_user_disable,
      "end a lockout after failed sign-ins", NULL },
    { "user", "totp-reset", AL, "NAME", ws_only, W, admin_cli_user_disable,
      "remove a user's second sign-in factor and end their sessions",
      "NAME's authenticator and recovery codes are deleted (audited\n"
      "user.totp_reset). An administrator or coordinator sets up a new one\n"
      "at the next sign-in; another role signs in with a password alone\n"
      "until they set one up again.\n" },
    { "user", "passwd", AL, "NAME", user_passwd_options, W,
      admin_cli_user_password, "set a user's password", NULL },
    { "user", "role", AL, "NAME ROLE", ws_only, W, admin_cli_user_role,
      "set a user's role", NULL },

    { "session", NULL, AL, NULL, NULL, 0, NULL,
      "list the open sessions; end one", NULL },
    { "session", "list", AL, NULL, ws_only, W, admin_cli_session,
      "list the open sessions (id, user, organisation, signed in, last "
      "seen)",
      NULL },
    { "session", "end", AL, "ID", ws_only, W, admin_cli_session,
      "end an open session: its user must sign in again", NULL },

    { "org", NULL, AL, NULL, NULL, 0, NULL,
      "add, list organisations; their directory profiles and search", NULL },
    { "org", "add", AL, "NAME", org_add_options, W, org_cli_add,
      "add an organisation; prints its code", NULL },
    { "org", "list", AL, NULL, ws_only, W, org_cli_list,
      "list the organisations", NULL },
    { "org", "profile", AL, "CODE", org_profile_options, W, org_cli_profile,
      "set an organisation's directory profile", NULL },
    { "org", "search", AL, NULL, org_search_options, W, org_cli_search,
      "search the directory of organisations", NULL },

    { "audit", NULL, AL, NULL, NULL, 0, NULL, "verify or list the audit log",
      NULL },
    { "audit", "verify", AL, NULL, audit_verify_options, W, audit_cli_verify,
      "verify the audit log's hash chain and its anchor",
      "Without --full it checks the rows appended since the last verification\n"
      "(by this command, the audit page or /api/v1/audit/verify) and the\n"
      "chain's end: fast, but a row altered before that point is found only\n"
      "by --full, which walks every row. Run --full on a schedule (e.g. daily)\n"
      "and after any doubt.\n" },
    { "audit", "list", AL, NULL, audit_list_options, 0, admin_cli_audit_list,
      "list audit rows", NULL },
    { "audit", "export", AL, NULL, ws_only, W, audit_cli_export,
      "print the chain's end signed (Ed25519) for an outside witness",
      "Keep the output (and its public key) elsewhere; 'siren audit check "
      "FILE' later\nshows the log still holds that row unchanged.\n" },
    { "audit", "check", AL, "FILE", ws_only, W, audit_cli_check,
      "check an export against the workspace: signature, key and row", NULL },

    { "referral", NULL, AL, NULL, NULL, 0, NULL, "send, list, answer referrals",
      NULL },
    { "referral", "send", AL, "CONTACT|CASE", referral_send_options, W,
      referral_cli_send, "refer a contact or case to an organisation", NULL },
    { "referral", "list", AL, NULL, referral_list_options, W, referral_cli_list,
      "list referrals", NULL },
    { "referral", "answer", AL, "CODE", referral_answer_options, W,
      referral_cli_answer, "answer a referral", NULL },

    { "contact", NULL, AL, NULL, NULL, 0, NULL,
      "add, list, show, import, export or delete hotline contacts", NULL },
    { "contact", "add", AL, NULL, contact_add_options, WO, contact_cli_add,
      "record a contact (identities only from --identity-file)", NULL },
    { "contact", "list", AL, NULL, contact_list_options, WO, contact_cli_list,
      "list contacts", NULL },
    { "contact", "show", AL, "CODE", contact_show_options, WO, contact_cli_show,
      "show a contact", NULL },
    { "contact", "import", AL, "FILE.csv", contact_import_options, WO,
      contact_cli_import, "import earlier contacts from a CSV file", NULL },
    { "contact", "export", AL, NULL, contact_export_options, WO,
      contact_cli_export, "export contacts as CSV or XLSX", NULL },
    { "contact", "delete", AL, "CODE", contact_delete_options, WO,
      contact_cli_delete, "delete a contact, with a reason", NULL },

    { "stats", NULL, AP, NULL, NULL, 0, NULL,
      "prevalence, risk factors, MSE, RDS on de-identified files",
      "Columns may be named in full, by HXL hashtag (#tag), or by the last\n"
      "part of a KoboToolbox/ODK group path when that is unambiguous.\n"
      "exit status: 0 success, 1 data error, 2 usage error\n" },
    { "stats", "prevalence", AP, "[FILE.csv]", prevalence_options, 0,
      stats_cli_prevalence,
      "binomial intervals for X of N, or a design-based proportion", NULL },
    { "stats", "risk", AP, "FILE.csv", risk_options, 0, stats_cli_file,
      "logistic regression: odds ratios, tests, deviance, AIC", NULL },
    { "stats", "mse", AP, "FILE.csv", mse_options, 0, mse_cli_run,
      "multiple systems estimation from a capture-history table",
      "FILE.csv has one 0/1 column per list, then 'count' (people with\n"
      "that history).\n" },
    { "stats", "rds", AP, "FILE.csv", rds_options, 0, stats_cli_file,
      "respondent-driven sampling: RDS-I and RDS-II estimates", NULL },

    { "report", NULL, AL, NULL, NULL, 0, NULL,
      "the hotline's monthly report; the justice funnel", NULL },
    { "report", "hotline", AL, NULL, hotline_options, 0, report_cli_hotline,
      "the hotline's monthly report", NULL },
    { "report", "funnel", AL, NULL, funnel_options, 0, justice_cli_funnel,
      "the criminal-justice funnel (counts and medians)", NULL },

    { "event", NULL, AL, NULL, NULL, 0, NULL,
      "record or list events shown on the report", NULL },
    { "event", "add", AL, "YYYY-MM-DD", event_add_options, W, event_cli_add,
      "record an event", NULL },
    { "event", "list", AL, NULL, event_list_options, W, event_cli_list,
      "list events", NULL },

    { "case", NULL, AL, NULL, NULL, 0, NULL,
      "open, list, show, update and close cases", NULL },
    { "case", "open", AL, NULL, case_open_options, WO, case_cli_case_open,
      "open a case; prints its code", NULL },
    { "case", "list", AL, NULL, case_list_options, W, case_cli_case_list,
      "list cases", NULL },
    { "case", "show", AL, "CODE", ws_only, W, case_cli_case_show,
      "show a case, its people and support plan", NULL },
    { "case", "update", AL, "CODE", case_update_options, W,
      case_cli_case_update, "change a case's attributes", NULL },
    { "case", "status", AL, "CODE STATUS", case_status_options, W,
      case_cli_case_status, "set a case's status", NULL },
    { "case", "note", AL, "CODE", case_note_options, W, case_cli_case_note,
      "add a note to a case", NULL },
    { "case", "support", AL, "CODE", case_support_options, W,
      case_cli_case_support, "add an item to a case's support plan", NULL },

    { "person", NULL, AL, NULL, NULL, 0, NULL, "add people to cases; show them",
      NULL },
    { "person", "add", AL, "CASE", person_add_options, W, case_cli_person_add,
      "add a person to a case; prints their code",
      "An identity file has lines key=value with keys name, aliases, "
      "birth_date,\nphone, id_number, passport, address (never give "
      "identities on the command line).\n" },
    { "person", "show", AL, "CODE", person_show_options, W,
      case_cli_person_show, "show a person", NULL },
    { "person", "link", AL, "CASE PERSON", person_link_options, W,
      case_cli_person_link, "add a known person to another case", NULL },

    { "consent", NULL, AL, NULL, NULL, 0, NULL,
      "record a person's consent per purpose", NULL },
    { "consent", "set", AL, "PERSON", consent_set_options, W,
      case_cli_consent_set, "record a person's consent for a purpose", NULL },
    { "consent", "show", AL, "PERSON", ws_only, W, case_cli_consent_show,
      "show a person's consent", NULL },

    { "dup", NULL, AL, NULL, NULL, 0, NULL,
      "list, confirm or reject possible duplicates", NULL },
    { "dup", "list", AL, NULL, dup_list_options, W, case_cli_dup_list,
      "list possible duplicates", NULL },
    { "dup", "confirm", AL, "ID", ws_only, W, case_cli_dup_decide,
      "confirm a suggestion: merge the two people", NULL },
    { "dup", "reject", AL, "ID", ws_only, W, case_cli_dup_decide,
      "reject a suggestion", NULL },

    { "justice", NULL, AL, NULL, NULL, 0, NULL,
      "record or list a case's justice events", NULL },
    { "justice", "add", AL, "CASE", justice_add_options, W, justice_cli_add,
      "record a justice event on a case", NULL },
    { "justice", "list", AL, "CASE", ws_only, W, justice_cli_list,
      "list a case's justice events", NULL },

    { "entity", NULL, AL, NULL, NULL, 0, NULL,
      "add, link, show, rank offenders; networks", NULL },
    { "entity", "add", AL, NULL, entity_add_options, WO, entity_cli_add,
      "add an offender, broker or business; prints its code", NULL },
    { "entity", "link", AL, "E1 E2", entity_link_options, W, entity_cli_link,
      "link two entities", NULL },
    { "entity", "case", AL, "E CASE", entity_case_options, W, entity_cli_case,
      "link an entity to a case", NULL },
    { "entity", "confirm", AL, "LINK_ID", ws_only, W, entity_cli_decide,
      "confirm a suggested link", NULL },
    { "entity", "reject", AL, "LINK_ID", ws_only, W, entity_cli_decide,
      "reject a suggested link", NULL },
    { "entity", "show", AL, "CODE", entity_show_options, W, entity_cli_show,
      "show an entity, its cases and links", NULL },
    { "entity", "list", AL, NULL, entity_list_options, W, entity_cli_list,
      "list entities, or rank them", NULL },
    { "entity", "network", AL, "CODE", entity_network_options, W,
      entity_cli_network, "an entity's network", NULL },

    { "survey", NULL, AL, NULL, NULL, 0, NULL,
      "import, list, show, delete survey data sets", NULL },
    { "survey", "import", AL, "FILE.csv", survey_import_options, W,
      survey_cli_import, "import a survey data set", NULL },
    { "survey", "list", AL, NULL, ws_only, W, survey_cli_list,
      "list the data sets", NULL },
    { "survey", "show", AL, "NAME|CODE|ID", ws_only, W, survey_cli_show,
      "show a data set's columns", NULL },
    { "survey", "delete", AL, "NAME|CODE|ID", survey_delete_options, W,
      survey_cli_delete, "delete a data set, with a reason", NULL },

    { "analysis", NULL, AL, NULL, NULL, 0, NULL,
      "run, list, show, rerun recorded analyses", NULL },
    { "analysis", "run", AL, "prevalence|risk|mse|rds", analysis_run_options,
      W | CLI_PASS_OPTIONS, analysis_cli_run,
      "run an analysis on a data set and record it",
      "The method's options are as in `siren stats`, e.g. --outcome COL\n"
      "--predictors A,B --ref A=LEVEL.\n" },
    { "analysis", "list", AL, NULL, analysis_list_options, W, analysis_cli_list,
      "list recorded analyses", NULL },
    { "analysis", "show", AL, "ID", analysis_show_options, 0, analysis_cli_show,
      "show a recorded analysis", NULL },
    { "analysis", "rerun", AL, "ID", ws_only, 0, analysis_cli_rerun,
      "run again from the record; exit 1 unless identical", NULL },

    { "routes", NULL, AP, NULL, ws_only, 0, admin_cli_routes,
      "print the route table", NULL },
    { "policy", NULL, AP, NULL, ws_only, 0, admin_cli_policy,
      "print the policy table", NULL },
    { "version", NULL, AP, NULL, ws_only, 0, admin_cli_version,
      "print the version", NULL },
    { "help", NULL, AP, "[COMMAND [SUB]]", ws_only, 0, cli_help,
      "this list, or a command's usage", NULL },
    { NULL, NULL, AP, NULL, NULL, 0, NULL, NULL, NULL },
};
