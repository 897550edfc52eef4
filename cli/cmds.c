/* cmds.c: THE command table: every command's entry (its name, usage,
 * flags and options sit next to its code in cmd_<name>.c). It drives
 * dispatch, help, -h, the hidden --dump-spec, the man page checks and
 * the completions. */
#include "../lib/common.h"

#include <string.h>

#include "cli.h"

const struct cmd *const commands[] = {
	&cmd_init_entry,
	&cmd_list_entry,
	&cmd_info_entry,
	&cmd_get_entry,
	&cmd_set_entry,
	&cmd_meta_entry,
	&cmd_edit_entry,
	&cmd_rm_entry,
	&cmd_mv_entry,
	&cmd_decrypt_entry,
	&cmd_generate_entry,
	&cmd_rotate_entry,
	&cmd_history_entry,
	&cmd_check_access_entry,
	&cmd_check_entry,
	&cmd_member_entry,
	&cmd_policy_entry,
	&cmd_reencrypt_entry,
	&cmd_audit_entry,
	&cmd_git_entry,
	&cmd_version_entry,
	&cmd_help_entry,
	NULL,
};

const struct cmd *cmd_find(const char *name)
{
	for (size_t i = 0; commands[i]; i++)
		if (!strcmp(commands[i]->name, name))
			return commands[i];
	return NULL;
}
