/* cli.h: what the commands share: the command table, the context that
 * main sets up, option parsing from the table, and output helpers. */
#ifndef CF_CLI_H
#define CF_CLI_H

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "../lib/buf.h"
#include "../lib/policy.h"
#include "../lib/reencrypt.h"
#include "../lib/secbuf.h"
#include "../lib/secret.h"
#include "../lib/session.h"
#include "../lib/store.h"
#include "../lib/write.h"

/* Completion hints for option values and arguments (--dump-spec). */
#define HINT_NONE NULL
#define HINT_SECRET "secret"
#define HINT_FILE "file"
#define HINT_DIR "dir"
#define HINT_PRINCIPAL "principal"
#define HINT_ACTION "action"
#define HINT_VALUE "value"

struct opt {
	const char *name;	/* long name */
	int shortc;		/* short letter or 0 */
	const char *arg;	/* value placeholder, NULL for a flag */
	const char *hint;	/* completion hint for the value */
	const char *help;
};

struct ctx;

/* Flags of a command (printed by --dump-spec; 00-meta checks them). */
#define CMD_WRITES 1u		/* may add commits (see the man page) */
#define CMD_DECRYPTS 2u		/* may decrypt (GnuPG, a secret key) */
#define CMD_PASSTHROUGH 4u	/* passes every argument on, no -h (git) */

struct cmd {
	const char *name;
	const char *summary;
	const char *usage;	/* equals the man page SYNOPSIS line(s) */
	int (*fn)(int argc, char **argv, struct ctx *ctx);
	unsigned flags;
	const struct opt *opts;
	const char *args_hint;	/* completion of operands */
};

struct ctx {
	const struct cmd *cmd;
	int json, quiet, color;
	struct cf_session sess;	/* -C and --as are in here */
};

/* Every command, NULL-terminated. */
extern const struct cmd *const commands[];
const struct cmd *cmd_find(const char *name);

/* Parses the next option of ctx->cmd (getopt_long built from its opt
 * table). Returns the short letter or the index+256 of an option without
 * one, -1 at the end, 'h' for -h/--help, '?' for a usage error; *arg
 * receives the value. */
int cmd_getopt(struct ctx *ctx, int argc, char **argv, const char **arg);
/* Parses the options of a command whose table is json_only_opts.
 * Returns -1 to go on, else the exit code (help: 0, usage error: 2). */
int getopt_json_only(struct ctx *ctx, int argc, char **argv);
/* Handles 'h' (help on stdout, 0) or anything else (usage error, 2). */
int cmd_optdone(struct ctx *ctx, int c);
/* Prints a usage error for the command and returns 2. */
int usage_error(struct ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Value of option index i (no short letter) for cmd_getopt's return. */
#define OPT_LONG(i) (256 + (i))

/* Prints "coffer: <cmd>: <msg>" for the last lib error and returns the
 * exit code for err. */
int fail(struct ctx *ctx, int err);
/* Prints an error message and returns code. */
int failf(struct ctx *ctx, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* "coffer: <cmd>: warning: ..." on stderr, unless -q. */
void warnf(struct ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* "coffer: <cmd>: ..." on stderr, unless -q: what a command did. */
void notef(struct ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The session's note (struct cf_session): what coffer did on its own,
 * such as finishing a killed write; printed even with -q. arg is the
 * struct ctx. */
void session_note(const char *line, void *arg);

/* The commit text of a change that re-encrypted (member, policy). */
void reenc_msg(struct buf *msg, const struct cf_reenc_stats *st);
/* The end of a command that re-encrypted, releasing st: with ret < 0,
 * fail's code; else each file the re-encryption left as it was is named
 * and the code is EXIT_PROBLEMS (11) if there is one (check reports
 * them as drift), else EXIT_OK. */
int reenc_done(struct ctx *ctx, int ret, struct cf_reenc_stats *st);

/* cf_write_begin, and the warning when a stale lock was taken over. */
int begin_write(struct ctx *ctx, struct cf_write *w);

/* Reads a value: from file if given, else stdin (a prompt with echo off
 * and confirmation on a tty). Refuses a NUL byte unless binary, and a
 * value over 1 MiB (CF_EREJECTED). */
int read_value(struct secbuf *out, const char *file, int binary);

/* Runs $VISUAL or $EDITOR (default vi) on a memory file holding in;
 * out receives the result. The editor failing changes nothing. */
int edit_buffer(struct secbuf *out, const struct secbuf *in);

/* Prints one line (fmt has no newline; one is added) with controls and
 * bytes that are not UTF-8 escaped: for text from files, such as names,
 * meta and git authors. Never for values. */
void out_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Writes bytes to stdout; the final flush in main reports errors. */
void out_bytes(const void *data, size_t len);
/* Prints a JSON value (jansson json_t *) and a newline; frees it. */
void out_json(void *json);
/* One line in the read log ($XDG_STATE_HOME/coffer/audit.log) for a
 * secret that command read; a failure to write it is a warning. */
void audit_read(struct ctx *ctx, const char *name, long version,
		const char *command);

/* What admin is checked against: the policy file itself. */
#define ADMIN_RESOURCE ".coffer/policy.yaml"

/* Each command's entry, in its cmd_<name>.c. */
extern const struct cmd cmd_init_entry, cmd_list_entry, cmd_info_entry,
	cmd_get_entry, cmd_set_entry, cmd_meta_entry,
	cmd_edit_entry, cmd_rm_entry, cmd_mv_entry,
	cmd_decrypt_entry, cmd_generate_entry, cmd_rotate_entry,
	cmd_history_entry, cmd_check_access_entry, cmd_check_entry,
	cmd_member_entry, cmd_policy_entry, cmd_reencrypt_entry,
	cmd_audit_entry, cmd_git_entry, cmd_version_entry,
	cmd_help_entry;

/* Option tables: none, and --json alone (for getopt_json_only). */
#define END { NULL, 0, NULL, NULL, NULL }
#define JSON_OPT { "json", 0, NULL, NULL, "machine-readable output" }
extern const struct opt no_opts[], json_only_opts[];

/* help for one command on f */
void print_cmd_help(FILE *f, const struct cmd *c);
void print_usage(FILE *f, const struct cmd *c);
/* The global usage line and every command with its summary. */
void print_commands(FILE *f);

#endif
