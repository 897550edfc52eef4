/* opts.c: option parsing, help and usage, all from the command table. */
#include "../lib/common.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "exit.h"

#define MAX_OPTS 48

static const struct cmd *built;
static struct option lopts[MAX_OPTS + 2];
static char sopts[2 * MAX_OPTS + 4];

static void build(const struct cmd *c)
{
	size_t n = 0, s = 0;

	sopts[s++] = ':';
	sopts[s++] = 'h';
	for (const struct opt *o = c->opts; o && o->name; o++, n++) {
		lopts[n].name = o->name;
		lopts[n].has_arg = o->arg ? required_argument : no_argument;
		lopts[n].flag = NULL;
		lopts[n].val = o->shortc ? o->shortc : OPT_LONG((int)n);
		if (o->shortc) {
			sopts[s++] = (char)o->shortc;
			if (o->arg)
				sopts[s++] = ':';
		}
	}
	lopts[n].name = "help";
	lopts[n].has_arg = no_argument;
	lopts[n].flag = NULL;
	lopts[n].val = 'h';
	memset(&lopts[n + 1], 0, sizeof(lopts[n + 1]));
	sopts[s] = '\0';
	built = c;
}

int cmd_getopt(struct ctx *ctx, int argc, char **argv, const char **arg)
{
	int c;

	if (built != ctx->cmd) {
		build(ctx->cmd);
		optind = 0;
	}
	opterr = 0;
	c = getopt_long(argc, argv, sopts, lopts, NULL);
	*arg = optarg;
	if (c == ':' || c == '?') {
		const char *bad = optind > 0 && optind <= argc ?
				  argv[optind - 1] : "";

		if (c == ':')
			usage_error(ctx, "option '%s' needs a value", bad);
		else if (optopt)
			usage_error(ctx, "unknown option '-%c'", optopt);
		else
			usage_error(ctx, "unknown option '%s'", bad);
		return '?';
	}
	return c;
}

void print_usage(FILE *f, const struct cmd *c)
{
	const char *u = c->usage;

	/* several synopsis lines are separated by newlines */
	fprintf(f, "usage: ");
	for (;;) {
		const char *nl = strchr(u, '\n');

		fprintf(f, "coffer %.*s\n", (int)(nl ? nl - u : (long)strlen(u)), u);
		if (!nl)
			break;
		u = nl + 1;
		fprintf(f, "   or: ");
	}
}

void print_cmd_help(FILE *f, const struct cmd *c)
{
	print_usage(f, c);
	fprintf(f, "\n%s\n", c->summary);
	if (!c->opts || !c->opts->name)
		return;
	fprintf(f, "\noptions:\n");
	for (const struct opt *o = c->opts; o->name; o++) {
		char left[64];

		if (o->shortc)
			snprintf(left, sizeof(left), "-%c, --%s%s%s", o->shortc,
				 o->name, o->arg ? " " : "", o->arg ? o->arg : "");
		else
			snprintf(left, sizeof(left), "    --%s%s%s", o->name,
				 o->arg ? " " : "", o->arg ? o->arg : "");
		fprintf(f, "  %-26s %s\n", left, o->help);
	}
}

int cmd_optdone(struct ctx *ctx, int c)
{
	if (c == 'h') {
		print_cmd_help(stdout, ctx->cmd);
		return EXIT_OK;
	}
	return EXIT_USAGE;	/* the message was printed by cmd_getopt */
}

void print_commands(FILE *f)
{
	fprintf(f, "usage: coffer [-C DIR] [--as PRINCIPAL] [--json] [-q] "
		   "[--no-color] COMMAND [ARGS]\n\ncommands:\n");
	for (size_t i = 0; commands[i]; i++)
		fprintf(f, "  %-14s %s\n", commands[i]->name,
			commands[i]->summary);
}

const struct opt no_opts[] = { END };
const struct opt json_only_opts[] = { JSON_OPT, END };

int getopt_json_only(struct ctx *ctx, int argc, char **argv)
{
	const char *arg;
	int c;

	while ((c = cmd_getopt(ctx, argc, argv, &arg)) != -1) {
		if (c != OPT_LONG(0))
			return cmd_optdone(ctx, c);
		ctx->json = 1;
	}
	return -1;
}

int usage_error(struct ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "coffer: %s: ", ctx->cmd ? ctx->cmd->name : "usage");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (ctx->cmd)
		print_usage(stderr, ctx->cmd);
	return EXIT_USAGE;
}
