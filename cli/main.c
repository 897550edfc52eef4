/* main.c: process hardening, global options and dispatch. */
#include "../lib/common.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../lib/crypt.h"
#include "../lib/error.h"
#include "../lib/timeutil.h"
#include "cli.h"
#include "exit.h"
#include "version.h"

static void harden(void)
{
	struct rlimit no_core = { 0, 0 };
	static const char *git_env[] = {
		"GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE",
		"GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES",
		"GIT_NAMESPACE", "GIT_COMMON_DIR", "GIT_CEILING_DIRECTORIES",
	};

	/* fds 0-2 must be open, or a file we open could become stdout */
	for (int fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) < 0 && errno == EBADF &&
		    open("/dev/null", fd ? O_WRONLY : O_RDONLY) != fd)
			abort();
	umask(077);
	setrlimit(RLIMIT_CORE, &no_core);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	for (size_t i = 0; i < sizeof(git_env) / sizeof(git_env[0]); i++)
		unsetenv(git_env[i]);
	/* a closed pipe is a write error we report, not a silent death */
	signal(SIGPIPE, SIG_IGN);
	cf_json_wiping();
}

static void print_help(FILE *f)
{
	print_commands(f);
	fprintf(f, "\n'coffer help COMMAND' or 'coffer COMMAND -h' for a "
		   "command; 'man coffer' for the reference.\n");
}

/* --dump-spec: the command table as TSV (git --list-cmds): one line per
 * command "cmd NAME ARGHINT SUMMARY", one with its flags "flags NAME
 * WORDS" (writes, decrypts, passthrough, space-separated), one per option
 * "opt CMD LONG SHORT TAKESVALUE HINT HELP"; "-" where empty. */
static void dump_spec(void)
{
	static const struct { unsigned flag; const char *word; } flag_words[] = {
		{ CMD_WRITES, "writes" },
		{ CMD_DECRYPTS, "decrypts" },
		{ CMD_PASSTHROUGH, "passthrough" },
	};

	for (size_t i = 0; commands[i]; i++) {
		const struct cmd *c = commands[i];
		struct buf words = BUF_INIT;

		printf("cmd\t%s\t%s\t%s\n", c->name,
		       c->args_hint ? c->args_hint : "-", c->summary);
		for (size_t k = 0; k < sizeof(flag_words) / sizeof(*flag_words);
		     k++)
			if (c->flags & flag_words[k].flag)
				buf_addf(&words, "%s%s", words.len ? " " : "",
					 flag_words[k].word);
		printf("flags\t%s\t%s\n", c->name, words.len ? words.ptr : "-");
		buf_release(&words);
		for (const struct opt *o = c->opts; o && o->name; o++)
			printf("opt\t%s\t%s\t%c\t%d\t%s\t%s\n", c->name,
			       o->name, o->shortc ? o->shortc : '-',
			       o->arg != NULL, o->hint ? o->hint : "-", o->help);
	}
}

static int finish(int rc)
{
	if (fflush(stdout) || ferror(stdout) || fclose(stdout)) {
		if (errno != EPIPE || rc == 0)
			fprintf(stderr, "coffer: cannot write output: %s\n",
				strerror(errno));
		return rc ? rc : EXIT_ERROR;
	}
	return rc;
}

int main(int argc, char **argv)
{
	enum { O_AS = 256, O_JSON, O_NOCOLOR, O_VERSION, O_DUMP };
	static const struct option gopts[] = {
		{ "store", required_argument, NULL, 'C' },
		{ "as", required_argument, NULL, O_AS },
		{ "json", no_argument, NULL, O_JSON },
		{ "quiet", no_argument, NULL, 'q' },
		{ "no-color", no_argument, NULL, O_NOCOLOR },
		{ "version", no_argument, NULL, O_VERSION },
		{ "help", no_argument, NULL, 'h' },
		{ "dump-spec", no_argument, NULL, O_DUMP },
		{ NULL, 0, NULL, 0 },
	};
	struct ctx ctx;
	struct buf a0 = BUF_INIT;
	int c, rc;

	harden();
	memset(&ctx, 0, sizeof(ctx));
	cf_session_init(&ctx.sess, NULL, NULL);
	ctx.sess.note = session_note;
	ctx.sess.note_arg = &ctx;
	ctx.color = isatty(1) && !getenv("NO_COLOR");
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+C:qh", gopts, NULL)) != -1) {
		switch (c) {
		case 'C':
		case O_AS:
			if (!*optarg) {
				fprintf(stderr, "coffer: %s needs a value, not an empty string\n",
					c == 'C' ? "-C/--store" : "--as");
				return EXIT_USAGE;
			}
			if (c == 'C')
				ctx.sess.store_dir = optarg;
			else
				ctx.sess.as = optarg;
			break;
		case O_JSON: ctx.json = 1; break;
		case 'q': ctx.quiet = 1; break;
		case O_NOCOLOR: ctx.color = 0; break;
		case O_VERSION:
			printf("coffer %s\n", COFFER_VERSION);
			return finish(EXIT_OK);
		case 'h':
			print_help(stdout);
			return finish(EXIT_OK);
		case O_DUMP:
			dump_spec();
			return finish(EXIT_OK);
		default:
			fprintf(stderr, "coffer: unknown or incomplete option '%s'\n",
				argv[optind - 1]);
			print_help(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		print_help(stderr);
		return EXIT_USAGE;
	}
	if (!(ctx.cmd = cmd_find(argv[optind]))) {
		fprintf(stderr, "coffer: '%s' is not a coffer command; see 'coffer --help'\n",
			argv[optind]);
		return EXIT_USAGE;
	}
	if (cf_time_init() < 0)
		return failf(&ctx, EXIT_USAGE, "%s", cf_error_last());
	if ((rc = cf_crypt_init()) < 0)
		return fail(&ctx, rc);
	argc -= optind;
	argv += optind;
	buf_addf(&a0, "coffer %s", ctx.cmd->name);
	argv[0] = a0.ptr;
	rc = ctx.cmd->fn(argc, argv, &ctx);
	cf_session_release(&ctx.sess);
	buf_release(&a0);
	return finish(rc);
}
