/* editor.c: edit text in $VISUAL or $EDITOR through a memory file
 * (memfd: never a file on disk), opened by the editor as
 * /proc/self/fd/N. When that editor is vim or neovim, it is also told
 * to keep no swap, backup, undo or viminfo/shada file. */
#define _GNU_SOURCE
#include "../lib/common.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../lib/buf.h"
#include "../lib/error.h"
#include "../lib/fsutil.h"
#include "cli.h"

/* For vim and neovim, after the user's own words: -n (no swap file;
 * it wins over 'updatecount' from a vimrc), -i NONE (no viminfo or
 * shada file, whose registers and history keep deleted lines), and a
 * command run after the vimrc and the file's autocommands that turns
 * off swap, backup and undo files and viminfo again (a vimrc setting
 * 'viminfofile' wins over -i). 'viminfo' is neovim's other name for
 * 'shada'. */
static const char *const vim_args[] = {
	"-n", "-i", "NONE", "-c",
	"set noswapfile nobackup nowritebackup noundofile viminfo=",
};
#define VIM_NARGS (sizeof(vim_args) / sizeof(vim_args[0]))

static const char *const ifs = " \t\n";

/* The first field of cmd as sh splits it (default IFS), or NULL. */
static char *first_word(const char *cmd)
{
	size_t n;

	if (!cmd)
		return NULL;
	cmd += strspn(cmd, ifs);
	n = strcspn(cmd, ifs);
	return n ? xstrndup(cmd, n) : NULL;
}

/* The real path (no links) of the program the first word of cmd
 * names, found as sh finds it: as given when it holds a '/', else in
 * $PATH. NULL when there is none. */
static char *resolve(const char *cmd)
{
	struct buf cand = BUF_INIT;
	struct stat st;
	const char *p, *end;
	char *word = first_word(cmd), *real = NULL;

	if (!word)
		goto out;
	if (strchr(word, '/')) {
		real = realpath(word, NULL);
		goto out;
	}
	p = getenv("PATH");
	if (!p)
		p = "/usr/local/bin:/usr/bin:/bin";
	for (;; p = end + 1) {
		end = strchrnul(p, ':');
		buf_reset(&cand);
		if (end == p)
			buf_adds(&cand, ".");
		else
			buf_add(&cand, p, (size_t)(end - p));
		buf_addf(&cand, "/%s", word);
		if (!stat(cand.ptr, &st) && S_ISREG(st.st_mode) &&
		    !access(cand.ptr, X_OK)) {
			real = realpath(cand.ptr, NULL);
			goto out;
		}
		if (!*end)
			break;
	}
out:
	buf_release(&cand);
	free(word);
	return real;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* vim under any of Debian's names (vim.basic, vim.tiny, vim.gtk3 ...)
 * and neovim. */
static int is_vim(const char *real)
{
	const char *name = real ? base_name(real) : "";

	return !strcmp(name, "vim") || !strncmp(name, "vim.", 4) ||
	       !strcmp(name, "nvim");
}

static int is_sensible_editor(const char *real)
{
	return real && !strcmp(base_name(real), "sensible-editor");
}

/* The SELECTED_EDITOR="..." line that select-editor(1) writes to
 * ~/.selected_editor, without its quotes, or NULL. */
static char *selected_editor(void)
{
	struct buf path = BUF_INIT;
	const char *home = getenv("HOME");
	char *line = NULL, *val, *ret = NULL;
	size_t cap = 0, n;
	FILE *f = NULL;

	if (!home || !*home)
		goto out;
	buf_addf(&path, "%s/.selected_editor", home);
	if (!(f = fopen(path.ptr, "r")))
		goto out;
	while (!ret && getline(&line, &cap, f) > 0) {
		if (strncmp(line, "SELECTED_EDITOR=", 16))
			continue;
		val = line + 16;
		val[strcspn(val, "\n")] = '\0';
		n = strlen(val);
		if (n >= 2 && (*val == '"' || *val == '\'') &&
		    val[n - 1] == *val) {
			val[n - 1] = '\0';
			val++;
		}
		ret = xstrdup(val);
	}
out:
	if (f)
		fclose(f);
	free(line);
	buf_release(&path);
	return ret;
}

/* The real path of what Debian's sensible-editor will run, or NULL
 * when that is not known. It runs $EDITOR (unless that is itself),
 * else the choice recorded by select-editor(1), else $SELECTED_EDITOR,
 * else `editor`; but with no choice and a terminal on stdin it first
 * asks the user, and when its pick cannot be run it tries nano, then
 * vi. */
static char *sensible_choice(void)
{
	const char *env = getenv("EDITOR");
	char *real = NULL, *sel = NULL;

	if (env && *env) {
		/* it falls back to nano when $EDITOR cannot be run */
		if (!is_sensible_editor(real = resolve(env)))
			goto out;
		free(real);
		real = NULL;
	}
	if ((sel = selected_editor()))
		real = resolve(sel);
	else if ((env = getenv("SELECTED_EDITOR")) && *env)
		real = resolve(env);
	else if (!isatty(0))
		real = resolve("editor");
	if (is_sensible_editor(real)) {
		free(real);
		real = NULL;
	}
out:
	free(sel);
	return real;
}

/* Whether cmd (the user's editor command) runs vim or neovim. */
static int runs_vim(const char *cmd)
{
	char *real = resolve(cmd);
	int ret;

	if (is_sensible_editor(real)) {
		free(real);
		real = sensible_choice();
	}
	ret = is_vim(real);
	free(real);
	return ret;
}

static int run_editor(int fd, int vim)
{
	/* sh -c SCRIPT sh [vim arguments] FILE: sh splits $COFFER_EDITOR
	 * into words; execv wants writable strings */
	char *av[4 + VIM_NARGS + 2] = { NULL };
	char path[64];
	size_t i, n = 0;
	pid_t pid;
	int status, ret = 0;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	av[n++] = xstrdup("sh");
	av[n++] = xstrdup("-c");
	av[n++] = xstrdup("exec $COFFER_EDITOR \"$@\"");
	av[n++] = xstrdup("sh");
	for (i = 0; vim && i < VIM_NARGS; i++)
		av[n++] = xstrdup(vim_args[i]);
	av[n++] = xstrdup(path);
	pid = fork();
	if (pid < 0) {
		ret = cf_error_set(CF_EGENERIC, "fork: %s", strerror(errno));
		goto out;
	}
	if (pid == 0) {
		/* the editor inherits the memfd (no FD_CLOEXEC) */
		fcntl(fd, F_SETFD, 0);
		execv("/bin/sh", av);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			ret = cf_error_set(CF_EGENERIC, "waitpid: %s",
					   strerror(errno));
			goto out;
		}
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		ret = cf_error_set(CF_EGENERIC,
			"the editor failed; nothing changed");
out:
	for (i = 0; i < n; i++)
		free(av[i]);
	return ret;
}

int edit_buffer(struct secbuf *out, const struct secbuf *in)
{
	const char *ed = getenv("VISUAL");
	int fd, ret;

	if (!ed || !*ed)
		ed = getenv("EDITOR");
	if (!ed || !*ed)
		ed = "vi";
	/* the editor command reaches sh through the environment, as git
	 * does; it is the user's own setting, never a secret */
	setenv("COFFER_EDITOR", ed, 1);
	fd = memfd_create("coffer-edit", MFD_CLOEXEC);
	if (fd < 0 || cf_write_all(fd, in->ptr, in->len) < 0) {
		ret = cf_error_set(CF_EGENERIC, "cannot create a memory file: %s",
				   strerror(errno));
		goto out;
	}
	if ((ret = run_editor(fd, runs_vim(ed))) < 0)
		goto out;
	if (lseek(fd, 0, SEEK_SET) < 0)
		ret = cf_error_set(CF_EGENERIC, "cannot read the edit: %s",
				   strerror(errno));
	else
		ret = cf_fd_read(out, fd, 4u << 20, "the edit");
out:
	if (fd >= 0)
		close(fd);
	return ret;
}
