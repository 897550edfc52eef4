/* test_commitmsg.c: commit messages (lib/commitmsg.c): format then parse
 * gives back every op and every trailer; messages without trailers,
 * unknown ops, the last Coffer-Op winning, text that only looks like a
 * trailer; and the op/version consistency table history uses. */
#include <stdlib.h>

#include "../../lib/commitmsg.h"
#include "tap.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const enum cf_op all_ops[] = {
	CF_OP_INIT, CF_OP_SET, CF_OP_META, CF_OP_EDIT, CF_OP_RM, CF_OP_MV,
	CF_OP_ROTATE, CF_OP_MEMBER_ADD, CF_OP_MEMBER_RM, CF_OP_POLICY_EDIT,
	CF_OP_REENCRYPT, CF_OP_IMPORT, CF_OP_MERGE,
};

static void test_names(void)
{
	for (size_t i = 0; i < N(all_ops); i++) {
		const char *name = cf_op_name(all_ops[i]);

		ok(name && *name && strcmp(name, "?"), "op %d has a name",
		   (int)all_ops[i]);
		is_int(cf_op_from_name(name), all_ops[i], "'%s' names op %d",
		       name, (int)all_ops[i]);
	}
	is_str(cf_op_name(CF_OP_UNKNOWN), "?", "the unknown op is '?'");
	is_str(cf_op_name((enum cf_op)999), "?", "an op past the table is '?'");
	is_int(cf_op_from_name("frobnicate"), CF_OP_UNKNOWN, "unknown word");
	is_int(cf_op_from_name("?"), CF_OP_UNKNOWN, "'?' is no op");
	is_int(cf_op_from_name(""), CF_OP_UNKNOWN, "empty word");
	is_int(cf_op_from_name("SET"), CF_OP_UNKNOWN, "names are exact");
	is_str(cf_rotation_mark_name(CF_ROTMARK_PENDING), "pending", "mark");
	is_str(cf_rotation_mark_name(CF_ROTMARK_ROLLED_BACK), "rolled-back",
	       "mark");
	is_str(cf_rotation_mark_name((enum cf_rotation_mark)99), "",
	       "a mark past the table is empty");
}

/* Formats m, parses it back and compares every part. */
static void round_trip(const struct cf_commitmsg *m, const char *what)
{
	struct buf text = BUF_INIT;
	struct cf_commitmsg got;

	cf_commitmsg_format(&text, m);
	ok(text.len && text.ptr[text.len - 1] == '\n',
	   "%s: the message ends in a newline", what);
	cf_commitmsg_parse(&got, text.ptr);
	is_int(got.op, m->op, "%s: op", what);
	is_str(got.op_text, cf_op_name(m->op), "%s: op text", what);
	if (m->name)
		ok(got.name && !strcmp(got.name, m->name), "%s: name '%s'",
		   what, got.name ? got.name : "(null)");
	else
		ok(!got.name, "%s: no name", what);
	is_int(got.nsecrets, m->nsecrets, "%s: secrets", what);
	for (size_t i = 0; i < m->nsecrets && i < got.nsecrets; i++)
		is_str(got.secrets[i], m->secrets[i], "%s: secret %zu", what,
		       i);
	ok(got.secrets && !got.secrets[got.nsecrets],
	   "%s: the secrets array ends in NULL", what);
	is_int(got.version, m->version, "%s: version", what);
	is_int(got.rotation, m->rotation, "%s: rotation mark", what);
	if (m->renamed_from)
		ok(got.renamed_from &&
		   !strcmp(got.renamed_from, m->renamed_from),
		   "%s: renamed from", what);
	else
		ok(!got.renamed_from, "%s: not renamed", what);
	cf_commitmsg_release(&got);
	ok(!got.text_ && !got.secv_, "%s: release clears", what);
	buf_release(&text);
}

static void test_round_trip(void)
{
	static const char *const two[] = { "db/main", "db/replica" };
	static const enum cf_rotation_mark marks[] = {
		CF_ROTMARK_NONE, CF_ROTMARK_PENDING, CF_ROTMARK_FINISHED,
		CF_ROTMARK_FINISH_FAILED, CF_ROTMARK_ROLLED_BACK,
	};
	char what[64];

	for (size_t i = 0; i < N(all_ops); i++) {
		struct cf_commitmsg m = { .op = all_ops[i] };

		snprintf(what, sizeof(what), "bare %s", cf_op_name(m.op));
		round_trip(&m, what);
		m.name = "db/main";
		m.body = "why: the old one leaked";
		m.secrets = two;
		m.nsecrets = N(two);
		m.version = 7;
		m.rotation = marks[i % N(marks)];
		m.renamed_from = i % 2 ? "db/old" : NULL;
		snprintf(what, sizeof(what), "full %s", cf_op_name(m.op));
		round_trip(&m, what);
	}
	for (size_t i = 0; i < N(marks); i++) {
		struct cf_commitmsg m = { .op = CF_OP_ROTATE, .name = "k",
					  .version = 3, .rotation = marks[i] };

		snprintf(what, sizeof(what), "rotation %s",
			 cf_rotation_mark_name(marks[i]));
		round_trip(&m, what);
	}
}

static void test_format_text(void)
{
	static const char *const sec[] = { "a/b" };
	struct cf_commitmsg m = {
		.op = CF_OP_MV, .name = "a/b", .body = "moved",
		.secrets = sec, .nsecrets = 1, .version = 2,
		.rotation = CF_ROTMARK_NONE, .renamed_from = "a/c",
	};
	struct buf t = BUF_INIT;

	cf_commitmsg_format(&t, &m);
	is_str(t.ptr, "coffer: mv a/b\n\nmoved\n\n"
		      "Coffer-Op: mv\n"
		      "Coffer-Secret: a/b\n"
		      "Coffer-Version: 2\n"
		      "Coffer-Renamed-From: a/c\n",
	       "the whole message, trailers in order");
	buf_reset(&t);
	cf_commitmsg_format(&t, &(struct cf_commitmsg){ .op = CF_OP_INIT });
	is_str(t.ptr, "coffer: init\n\nCoffer-Op: init\n",
	       "init: no name, no body, no version");
	buf_reset(&t);
	cf_commitmsg_format(&t, &(struct cf_commitmsg){
		.op = CF_OP_ROTATE, .name = "k", .version = 4,
		.rotation = CF_ROTMARK_FINISH_FAILED });
	is_str(t.ptr, "coffer: rotate k\n\nCoffer-Op: rotate\n"
		      "Coffer-Version: 4\nCoffer-Rotation: finish-failed\n",
	       "rotation mark");
	buf_release(&t);
}

static void test_parse_odd(void)
{
	struct cf_commitmsg m;

	cf_commitmsg_parse(&m, "coffer: set db/main\n\nno trailer here\n");
	is_int(m.op, CF_OP_SET, "no trailer: op from the subject");
	is_str(m.op_text, "set", "no trailer: op text");
	ok(m.name && !strcmp(m.name, "db/main"), "no trailer: name");
	is_int(m.nsecrets, 0, "no trailer: no secrets");
	is_int(m.version, 0, "no trailer: no version");
	cf_commitmsg_release(&m);

	cf_commitmsg_parse(&m, "coffer: set\n");
	is_int(m.op, CF_OP_SET, "subject without a name");
	ok(!m.name, "subject without a name: name NULL");
	cf_commitmsg_release(&m);

	cf_commitmsg_parse(&m, "coffer: frob x\n\nCoffer-Op: frob\n");
	is_int(m.op, CF_OP_UNKNOWN, "unknown op word");
	is_str(m.op_text, "frob", "unknown op: the word as written");
	cf_commitmsg_release(&m);

	cf_commitmsg_parse(&m, "Merge branch 'x'\n\nsome text\n");
	is_int(m.op, CF_OP_UNKNOWN, "a foreign commit");
	is_str(m.op_text, "?", "a foreign commit: '?'");
	ok(!m.name, "a foreign commit: no name");
	cf_commitmsg_release(&m);

	cf_commitmsg_parse(&m, "");
	is_int(m.op, CF_OP_UNKNOWN, "empty message");
	is_str(m.op_text, "?", "empty message: '?'");
	ok(m.secrets && !m.secrets[0], "empty message: empty secrets");
	cf_commitmsg_release(&m);

	cf_commitmsg_parse(&m, NULL);
	is_int(m.op, CF_OP_UNKNOWN, "NULL message");
	cf_commitmsg_release(&m);

	cf_commitmsg_parse(&m, "coffer: set a\n\nCoffer-Op: set\n"
			       "Coffer-Op: rm\nCoffer-Op: rotate\n");
	is_int(m.op, CF_OP_ROTATE, "the last Coffer-Op wins");
	cf_commitmsg_release(&m);

	cf_commitmsg_parse(&m, "coffer: rm a\n\nCoffer-Op: set\n");
	is_int(m.op, CF_OP_SET, "the trailer beats the subject");
	cf_commitmsg_release(&m);

	cf_commitmsg_parse(&m, "coffer: set a\n\n"
		"see Coffer-Op: rm and  Coffer-Secret: x\n"
		" Coffer-Version: 9\n"
		"\tCoffer-Renamed-From: z\n"
		"Coffer-Op:rm\n"
		"Coffer-Opx: rm\n"
		"Coffer-Rotation: sideways\n"
		"Coffer-Version: 3\n");
	is_int(m.op, CF_OP_SET, "Coffer-Op only at line start with ': '");
	is_int(m.nsecrets, 0, "Coffer-Secret only at line start");
	is_int(m.version, 3, "Coffer-Version only at line start");
	ok(!m.renamed_from, "Coffer-Renamed-From only at line start");
	is_int(m.rotation, CF_ROTMARK_NONE, "an unknown rotation mark");
	cf_commitmsg_release(&m);

	/* "coffer: " is a subject only on the first line */
	cf_commitmsg_parse(&m, "fix things\n\ncoffer: rm x\n");
	is_int(m.op, CF_OP_UNKNOWN, "a subject-like body line is no subject");
	ok(!m.name, "and gives no name");
	cf_commitmsg_release(&m);

	cf_commitmsg_parse(&m, "coffer: set a\r\n\r\nCoffer-Op: set\n"
			       "Coffer-Secret: a\nCoffer-Secret: b\n"
			       "Coffer-Secret: c");
	is_int(m.nsecrets, 3, "three secrets, the last without a newline");
	if (m.nsecrets == 3)
		is_str(m.secrets[2], "c", "the last secret");
	cf_commitmsg_release(&m);
}

/* The rule of cf_op_consistent, spelled out for one op. */
struct row {
	const char *what;
	long ver, before;
	int removed;
};

static void test_consistent(void)
{
	static const struct row rows[] = {
		{ "removed", 0, 3, 1 },
		{ "created", 1, 0, 0 },
		{ "version up", 4, 3, 0 },
		{ "version down", 2, 3, 0 },
		{ "same version", 3, 3, 0 },
	};
	/* expected, per op, for the rows above */
	static const struct { enum cf_op op; int want[5]; } table[] = {
		{ CF_OP_UNKNOWN,	{ 0, 0, 0, 0, 1 } },
		{ CF_OP_INIT,		{ 0, 0, 0, 0, 1 } },
		{ CF_OP_SET,		{ 0, 1, 1, 0, 0 } },
		{ CF_OP_META,		{ 0, 0, 0, 0, 1 } },
		{ CF_OP_EDIT,		{ 0, 1, 1, 0, 0 } },
		{ CF_OP_RM,		{ 1, 0, 0, 0, 1 } },
		{ CF_OP_MV,		{ 1, 1, 0, 0, 1 } },
		{ CF_OP_ROTATE,		{ 0, 1, 1, 1, 1 } },
		{ CF_OP_MEMBER_ADD,	{ 0, 0, 0, 0, 1 } },
		{ CF_OP_MEMBER_RM,	{ 0, 0, 0, 0, 1 } },
		{ CF_OP_POLICY_EDIT,	{ 0, 0, 0, 0, 1 } },
		{ CF_OP_REENCRYPT,	{ 0, 0, 0, 0, 1 } },
		{ CF_OP_IMPORT,		{ 0, 1, 1, 0, 0 } },
		{ CF_OP_MERGE,		{ 0, 1, 1, 0, 0 } },
	};

	for (size_t i = 0; i < N(table); i++)
		for (size_t r = 0; r < N(rows); r++)
			is_int(cf_op_consistent(table[i].op, rows[r].ver,
						rows[r].before,
						rows[r].removed) != 0,
			       table[i].want[r], "%s: %s",
			       cf_op_name(table[i].op), rows[r].what);
	/* removed wins over the version numbers */
	is_int(cf_op_consistent(CF_OP_SET, 5, 3, 1), 0,
	       "set that removes the file");
	is_int(cf_op_consistent(CF_OP_RM, 0, 0, 1), 1,
	       "rm of a file that had no meta");
	ok(cf_op_changes_value(CF_OP_SET) && cf_op_changes_value(CF_OP_MERGE) &&
	   !cf_op_changes_value(CF_OP_META) && !cf_op_changes_value(CF_OP_RM),
	   "value ops");
}

/* The user's text (-m) is a paragraph of its own: trailer-like lines in
 * it do not count, only the last paragraph does. */
static void test_body_cannot_add_trailers(void)
{
	struct buf b = BUF_INIT;
	struct cf_commitmsg m;

	cf_commitmsg_format(&b, &(struct cf_commitmsg){
		.op = CF_OP_SET, .name = "db", .version = 2,
		.body = "rotated\nCoffer-Renamed-From: other\nCoffer-Secret: other\nCoffer-Op: rm" });
	cf_commitmsg_parse(&m, b.ptr);
	is_int(m.op, CF_OP_SET, "a Coffer-Op line in the body is not the op");
	ok(!m.renamed_from, "nor a rename");
	is_int(m.nsecrets, 0, "nor a secret");
	is_int(m.version, 2, "the real trailer counts");
	cf_commitmsg_release(&m);
	buf_release(&b);
	cf_commitmsg_parse(&m, "coffer: set db\n\nCoffer-Op: set\n\n\n");
	is_int(m.op, CF_OP_SET, "blank lines after the trailers");
	cf_commitmsg_release(&m);
}

int main(void)
{
	test_body_cannot_add_trailers();
	test_names();
	test_round_trip();
	test_format_text();
	test_parse_odd();
	test_consistent();
	return tap_done();
}
