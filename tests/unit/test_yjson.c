/* test_yjson.c: YAML trees as JSON, typed as YAML reads the scalars. */
#include <jansson.h>
#include <stdlib.h>

#include "../../lib/yjson.h"
#include "../../lib/yparse.h"
#include "tap.h"

/* The compact JSON of the YAML text, or "" if it does not parse. */
static char *json_of(const char *yaml)
{
	struct cf_ynode *n = NULL;
	json_t *j;
	char *s;

	if (cf_yaml_parse(&n, yaml, strlen(yaml), "t") < 0)
		return strdup("");
	j = cf_ynode_to_json(n);
	s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(j);
	cf_ynode_free(n);
	return s;
}

static void check(const char *yaml, const char *want)
{
	char *got = json_of(yaml);

	is_str(got, want, "as JSON: %s", want);
	free(got);
}

int main(void)
{
	check("a: 1\n", "{\"a\":1}");
	/* ints by the rules of the canonical form (and sops), not strtoll */
	check("a: 1_000\n", "{\"a\":1000}");
	check("a: 0o17\n", "{\"a\":15}");
	check("a: 0x1F\n", "{\"a\":31}");
	check("a: -12\n", "{\"a\":-12}");
	/* too large for int64: kept as its text */
	check("a: 18446744073709551615\n", "{\"a\":\"18446744073709551615\"}");
	check("a: '1_000'\n", "{\"a\":\"1_000\"}");
	check("a: true\nb: False\nc: ~\nd: 1.5\n",
	      "{\"a\":true,\"b\":false,\"c\":null,\"d\":1.5}");
	check("a: [x, 2]\nb: {c: d}\n", "{\"a\":[\"x\",2],\"b\":{\"c\":\"d\"}}");
	return tap_done();
}
