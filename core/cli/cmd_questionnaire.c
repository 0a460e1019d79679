/* cmd_questionnaire.c — `itaku questionnaire import FILE` and
 * `itaku questionnaire list`. */
#include "core/cli/cli.h"
#include "core/questionnaires.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	long n;
	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && n <= 8 << 20 &&
	    fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1)) != NULL &&
	    fread(buf, 1, (size_t)n, f) == (size_t)n) {
		*len = (size_t)n;
	} else {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

static int parse_config_only(int argc, char **argv, const char **config, int *as_json)
{
	static const struct option opts[] = {{"config", required_argument, NULL, 'c'},
	                                     {"json", no_argument, NULL, 'j'},
	                                     {NULL, 0, NULL, 0}};
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'c')
			*config = optarg;
		else if (c == 'j' && as_json != NULL)
			*as_json = 1;
		else
			return 0;
	}
	return 1;
}

static int q_import(int argc, char **argv)
{
	const char *config = NULL;
	char detail[512] = "", id[160] = "";
	itaku_config cfg;
	db_conn *db;
	size_t len = 0;
	unsigned char *xml;
	qstore_rc rc;

	if (!parse_config_only(argc, argv, &config, NULL) || optind != argc - 1) {
		fprintf(stderr, "usage: itaku questionnaire import FILE [--config FILE]\n");
		return CLI_USAGE;
	}
	if ((xml = read_all(argv[optind], &len)) == NULL) {
		fprintf(stderr, "itaku questionnaire import: cannot read %s\n", argv[optind]);
		return CLI_FAIL;
	}
	if (!cli_open(config, &cfg, &db)) {
		free(xml);
		return CLI_FAIL;
	}
	rc = questionnaire_import(db, xml, len, "cli", id, sizeof(id), detail, sizeof(detail));
	db_close(db);
	free(xml);
	switch (rc) {
	case QSTORE_OK: printf("imported %s\n", id); return CLI_OK;
	case QSTORE_UNCHANGED: printf("%s is already imported (identical)\n", id); return CLI_OK;
	case QSTORE_ERR_INVALID:
		fprintf(stderr, "itaku questionnaire import: %s: invalid: %s\n", argv[optind],
		        detail);
		return CLI_FAIL;
	case QSTORE_ERR_VERSION_EXISTS:
		fprintf(stderr, "itaku questionnaire import: %s\n", detail);
		return CLI_FAIL;
	default: fprintf(stderr, "itaku questionnaire import: database error\n"); return CLI_FAIL;
	}
}

static int q_list(int argc, char **argv)
{
	const char *config = NULL;
	int as_json = 0;
	itaku_config cfg;
	db_conn *db;
	qstore_entry *entries = NULL;
	json_t *list = NULL, *o;
	size_t i, n = 0;

	if (!parse_config_only(argc, argv, &config, &as_json) || optind != argc) {
		fprintf(stderr, "usage: itaku questionnaire list [--json] [--config FILE]\n");
		return CLI_USAGE;
	}
	if (!cli_open(config, &cfg, &db))
		return CLI_FAIL;
	qstore_rc rc = qstore_list(db, &entries, &n);
	db_close(db);
	if (rc == QSTORE_OK)
		list = questionnaires_json(entries, n);
	qstore_list_free(entries, n);
	if (list == NULL)
		return CLI_FAIL;
	if (as_json) {
		json_dumpf(list, stdout, JSON_INDENT(2));
		putchar('\n');
	} else {
		json_array_foreach(list, i, o)
		{
			char *variants = json_dumps(json_object_get(o, "variants"), JSON_COMPACT);
			printf("%s@%s  %d items  variants %s  %s\n",
			       json_string_value(json_object_get(o, "id")),
			       json_string_value(json_object_get(o, "version")),
			       (int)json_integer_value(json_object_get(o, "items")),
			       variants ? variants : "[]",
			       json_string_value(
			               json_object_get(json_object_get(o, "title"), "en")));
			free(variants);
		}
	}
	json_decref(list);
	return CLI_OK;
}

int cmd_questionnaire(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "import") == 0)
		return q_import(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "list") == 0)
		return q_list(argc - 1, argv + 1);
	fprintf(stderr, "usage: itaku questionnaire import|list ...\n");
	return CLI_USAGE;
}
