/* cmd_git.c: coffer git ARGS... runs git in the store. This is the
 * command's whole purpose; coffer itself never relies on git. */
#include "../lib/common.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "exit.h"

static int cmd_git(int argc, char **argv, struct ctx *ctx)
{
	static char git[] = "git", dash_c[] = "-C";
	char **av;
	int ret;

	if ((ret = cf_session_store(&ctx->sess)) < 0)
		return fail(ctx, ret);
	av = xcalloc((size_t)argc + 3, sizeof(*av));
	av[0] = git;
	av[1] = dash_c;
	av[2] = ctx->sess.st.root;
	for (int i = 1; i < argc; i++)
		av[i + 2] = argv[i];
	fflush(stdout);
	execvp("git", av);
	ret = errno == ENOENT ? 127 : 126;
	free(av);
	return failf(ctx, ret, "cannot run git: %s", strerror(errno));
}

const struct cmd cmd_git_entry = {
	.name = "git",
	.summary = "run git in the store",
	.usage = "git ARGS...",
	.fn = cmd_git,
	.flags = CMD_PASSTHROUGH,
	.opts = no_opts,
	.args_hint = NULL,
};
