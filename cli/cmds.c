/* cmds.c: THE command table. It drives option parsing, help, -h, the
 * hidden --dump-spec, the man page checks and the completions. */
#include <string.h>

#include "cli.h"

#define END { NULL, 0, NULL, NULL, NULL }
#define JSON_OPT { "json", 0, NULL, NULL, "machine-readable output" }

static const struct opt init_opts[] = {
	{ "key", 0, "FPR", HINT_VALUE, "your key's full fingerprint" },
	{ "name", 0, "PRINCIPAL", HINT_VALUE, "your principal name" },
	{ "force", 'f', NULL, NULL, "use a non-empty directory" },
	END,
};

static const struct opt list_opts[] = {
	{ "long", 'l', NULL, NULL,
	  "version, updated, rotation, expiry and readers" },
	{ "tag", 't', "K=V", HINT_VALUE, "only secrets with this tag" },
	JSON_OPT,
	END,
};

static const struct opt info_opts[] = { JSON_OPT, END };

static const struct opt get_opts[] = {
	{ "field", 'f', "F", HINT_VALUE, "field to print (default value)" },
	{ "version", 'V', "N", HINT_VALUE, "version N, or previous" },
	{ "all", 'a', NULL, NULL, "every field" },
	{ "yaml", 0, NULL, NULL, "print fields as YAML" },
	{ "env", 0, NULL, NULL, "print fields as shell assignments" },
	{ "allow-expired", 0, NULL, NULL, "read an expired secret" },
	JSON_OPT,
	END,
};

static const struct opt set_opts[] = {
	{ "field", 'f', "F", HINT_VALUE, "field to set (default value)" },
	{ "from-file", 0, "P", HINT_FILE, "read the value from a file" },
	{ "generate", 'g', "SPEC", HINT_VALUE, "generate the value" },
	{ "binary", 0, NULL, NULL, "store bytes that may hold NUL (base64)" },
	{ "description", 'd', "T", HINT_VALUE, "set the description" },
	{ "tag", 't', "K=V", HINT_VALUE, "set a tag" },
	{ "expires", 0, "T", HINT_VALUE, "expiry time (RFC 3339)" },
	{ "ttl", 0, "D", HINT_VALUE, "expire after a duration" },
	{ "rotate-every", 0, "D", HINT_VALUE, "rotation interval" },
	{ "validate", 0, "RULES", HINT_VALUE,
	  "rules the value must meet (min_length=N,max_length=N,pattern=ERE,allowed=a|b)" },
	{ "allow-weak", 0, NULL, NULL, "store a value below the policy's min_bits" },
	{ "if-version", 0, "N", HINT_VALUE,
	  "only if the current version is N (check-and-set)" },
	{ "message", 'm', "MSG", HINT_VALUE, "commit message text" },
	END,
};

static const struct opt meta_opts[] = {
	{ "description", 'd', "T", HINT_VALUE, "set the description" },
	{ "tag", 't', "K=V", HINT_VALUE, "set a tag" },
	{ "untag", 0, "K", HINT_VALUE, "remove a tag" },
	{ "expires", 0, "T", HINT_VALUE, "expiry time (RFC 3339)" },
	{ "ttl", 0, "D", HINT_VALUE, "expire after a duration" },
	{ "no-expiry", 0, NULL, NULL, "remove the expiry" },
	{ "rotate-every", 0, "D", HINT_VALUE, "rotation interval" },
	{ "generator", 0, "SPEC", HINT_VALUE, "generator for rotations" },
	{ "hook", 0, "PATH", HINT_VALUE,
	  "rotation hook in .coffer/hooks/ (empty: none)" },
	{ "validate", 0, "RULES", HINT_VALUE,
	  "replace the rules the value must meet" },
	END,
};

static const struct opt rm_opts[] = {
	{ "recursive", 'r', NULL, NULL, "remove every secret under NAME/" },
	{ "force", 'f', NULL, NULL, "do not ask; no error if missing" },
	END,
};

static const struct opt check_access_opts[] = {
	{ "principal", 0, "P", HINT_PRINCIPAL, "the principal asking" },
	{ "action", 0, "A", HINT_ACTION, "list, read, write, rotate, delete or admin" },
	{ "resource", 0, "NAME", HINT_SECRET, "the secret" },
	{ "at", 0, "T", HINT_VALUE, "decide at this time (RFC 3339; default now)" },
	{ "source-ip", 0, "IP", HINT_VALUE, "the caller's address, for ip_range" },
	{ "list", 0, NULL, NULL, "every action the principal has on NAME" },
	{ "readers", 0, "NAME", HINT_SECRET,
	  "readers of NAME beside the file's recipients" },
	JSON_OPT,
	END,
};

static const struct opt member_opts[] = {
	{ "key", 0, "FILE|FPR", HINT_FILE, "the new member's public key" },
	{ "group", 0, "G", HINT_VALUE, "add the member to this group" },
	JSON_OPT,
	END,
};

static const struct opt rotate_opts[] = {
	{ "generate", 'g', "SPEC", HINT_VALUE, "generate the new value" },
	{ "from-file", 0, "P", HINT_FILE, "read the new value from a file" },
	{ "stdin", 0, NULL, NULL, "read the new value from standard input" },
	{ "overlap", 0, "D", HINT_VALUE,
	  "keep the old value as previous this long (default 1h)" },
	{ "due", 0, NULL, NULL, "rotate every secret whose rotation is overdue" },
	{ "dry-run", 'n', NULL, NULL, "say what would be done; change nothing" },
	{ "resume", 0, NULL, NULL, "finish an interrupted rotation" },
	{ "abort", 0, NULL, NULL, "undo an interrupted rotation" },
	{ "trust-hook", 0, "PATH", HINT_FILE,
	  "add a hook's path and SHA-256 to your allow-list" },
	{ "hook-timeout", 0, "D", HINT_VALUE,
	  "time each hook step may take (default 60s)" },
	{ "allow-weak", 0, NULL, NULL, "store a value below the policy's min_bits" },
	{ "message", 'm', "MSG", HINT_VALUE, "commit message text" },
	JSON_OPT,
	END,
};

static const struct opt decrypt_opts[] = { JSON_OPT, END };
static const struct opt generate_opts[] = { JSON_OPT, END };
static const struct opt history_opts[] = { JSON_OPT, END };
static const struct opt check_opts[] = { JSON_OPT, END };
static const struct opt audit_opts[] = {
	JSON_OPT,
	{ "verify", 0, NULL, NULL, "check the chain of the log (exit 6 if broken)" },
	END,
};
static const struct opt none_opts[] = { END };

const struct cmd commands[] = {
	{ "init", "create a store",
	  "init [--key FPR] [--name PRINCIPAL] [--force] [DIR]",
	  cmd_init, 0, init_opts, HINT_DIR },
	{ "list", "list secret names",
	  "list [PREFIX] [--long] [--tag K=V]... [--json]",
	  cmd_list, 0, list_opts, HINT_SECRET },
	{ "info", "show a secret's metadata, fields and readers",
	  "info NAME [--json]", cmd_info, 0, info_opts, HINT_SECRET },
	{ "get", "print a secret's value",
	  "get REF [--field F] [--version N|previous] [--all] "
	  "[--json|--yaml|--env] [--allow-expired]",
	  cmd_get, 0, get_opts, HINT_SECRET },
	{ "set", "create or update a value (read from stdin or a file)",
	  "set NAME [--field F] [--from-file P|--generate SPEC] [--binary] "
	  "[--description T] [--tag K=V]... [--expires T|--ttl D] "
	  "[--rotate-every D] [--validate RULES] [--allow-weak] "
	  "[--if-version N] [-m MSG]",
	  cmd_set, 0, set_opts, HINT_SECRET },
	{ "meta", "change metadata only",
	  "meta NAME [--description T] [--tag K=V]... [--untag K]... "
	  "[--expires T|--ttl D|--no-expiry] [--rotate-every D] "
	  "[--generator SPEC] [--hook PATH] [--validate RULES]",
	  cmd_meta, 0, meta_opts, HINT_SECRET },
	{ "edit", "edit a secret's fields in $VISUAL or $EDITOR",
	  "edit NAME", cmd_edit, 0, none_opts, HINT_SECRET },
	{ "rm", "delete secrets (history keeps them)",
	  "rm NAME... [-r] [-f]", cmd_rm, 0, rm_opts, HINT_SECRET },
	{ "mv", "rename a secret", "mv OLD NEW", cmd_mv, 0, none_opts,
	  HINT_SECRET },
	{ "decrypt", "print the decrypted document of a sops file",
	  "decrypt FILE [--json]", cmd_decrypt, 0, decrypt_opts, HINT_FILE },
	{ "generate", "print a generated value",
	  "generate [SPEC] [--json]", cmd_generate, 0, generate_opts, NULL },
	{ "rotate", "give secrets a new value, keeping the old one for an overlap",
	  "rotate NAME... [--generate SPEC|--from-file P|--stdin] "
	  "[--overlap D] [--hook-timeout D] [--allow-weak] [--dry-run] [-m MSG] "
	  "[--json]\n"
	  "rotate --due [--dry-run] [--overlap D] [--hook-timeout D] [--json]\n"
	  "rotate --resume|--abort NAME... [--hook-timeout D]\n"
	  "rotate --trust-hook PATH",
	  cmd_rotate, 0, rotate_opts, HINT_SECRET },
	{ "history", "list a secret's versions and commits",
	  "history NAME [--json]", cmd_history, 0, history_opts, HINT_SECRET },
	{ "check-access", "explain what the policy allows",
	  "check-access --principal P --action A --resource NAME [--at T] "
	  "[--source-ip IP] [--json]\n"
	  "check-access --list --principal P --resource NAME [--json]\n"
	  "check-access --readers NAME [--json]",
	  cmd_check_access, 0, check_access_opts, NULL },
	{ "check", "health report: expiry, rotation, exposure, drift, strength",
	  "check [NAME...] [--json]", cmd_check, 0, check_opts, HINT_SECRET },
	{ "member", "add, remove or list principals and their keys",
	  "member add NAME --key FILE|FPR [--group G]...\n"
	  "member rm NAME\n"
	  "member list [--json]",
	  cmd_member, 0, member_opts, "member" },
	{ "policy", "show, edit or check the policy",
	  "policy show\npolicy edit\npolicy lint [FILE]",
	  cmd_policy, 0, none_opts, "policy" },
	{ "reencrypt", "make every file's recipients equal its readers",
	  "reencrypt [NAME...]", cmd_reencrypt, 0, none_opts, HINT_SECRET },
	{ "audit", "show or verify the local read log",
	  "audit [--json] [--verify]", cmd_audit, 0, audit_opts, NULL },
	{ "git", "run git in the store", "git ARGS...", cmd_git, NO_HELP,
	  none_opts, NULL },
	{ "version", "print the version", "version", cmd_version, 0,
	  none_opts, NULL },
	{ "help", "show help for a command", "help [COMMAND]", cmd_help, 0,
	  none_opts, "command" },
	{ NULL, NULL, NULL, NULL, 0, NULL, NULL },
};

const struct cmd *cmd_find(const char *name)
{
	for (const struct cmd *c = commands; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}
